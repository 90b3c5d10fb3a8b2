namespace VaeGpu.Kernels;

public static partial class ImportanceWeightedMath
{
    /// <summary>
    /// Image <paramref name="image"/>'s per-draw coefficients c_k of the encoder gradient sum_k c_k d log q(z_k|x) / dphi
    /// at fixed z_k (ScoreEncoderBackwardElement), for the loss -L_K, w~_k the normalised weights:
    /// VIMCO (Mnih and Rezende 2016), the score-function gradient of L_K with leave-one-out baselines:
    /// c_k = gradientScale (w~_k - (L - L_-k)), L = log (1/K) sum w_j, L_-k the same with w_k replaced by the geometric
    /// mean of the other weights. Reweighted wake-sleep's wake-phi update (Bornschein and Bengio 2015), which fits q to the
    /// posterior by the forward KL, maximising sum_k w~_k log q(z_k|x): c_k = -gradientScale w~_k.
    /// Everything is in logs: sum_(j != k) w_j is the sum less w_k (at least the largest weight) except for the largest
    /// draw, whose rest is summed afresh about the second largest (early in training one draw's weight can exceed the
    /// others' by e^100, where the subtraction would leave nothing and the plain sums underflow).
    /// </summary>
    public static void ScoreCoefficientsImage<TStorage>(int image, int samples, TStorage nllPerRow, TStorage logDensityRatioPerRow,
        float gradientScale, int leaveOneOut, TStorage coefficients) where TStorage : struct, IFloatStorage
    {
        int first = image * samples, largestDraw = 0;
        float largest = float.NegativeInfinity, second = float.NegativeInfinity, logWeightSum = 0f;
        for (int k = 0; k < samples; k++)
        {
            float logWeight = logDensityRatioPerRow[first + k] - nllPerRow[first + k];
            logWeightSum += logWeight;
            if (logWeight > largest)
            {
                second = largest;
                (largest, largestDraw) = (logWeight, k);
            }
            else second = MathF.Max(second, logWeight);
        }
        // The weights about the largest (their sum is at least 1), and the rest of the largest about the second largest.
        float sum = 0f, restOfLargest = 0f;
        for (int k = 0; k < samples; k++)
        {
            float logWeight = logDensityRatioPerRow[first + k] - nllPerRow[first + k];
            float weight = MathF.Exp(logWeight - largest);
            coefficients[first + k] = weight;
            sum += weight;
            if (k != largestDraw) restOfLargest += MathF.Exp(logWeight - second);
        }
        float bound = largest + MathF.Log(sum); // L + log K: the log K of L and of every L_-k cancel
        for (int k = 0; k < samples; k++)
        {
            float weight = coefficients[first + k], normalised = weight / sum;
            if (leaveOneOut == 0)
            {
                coefficients[first + k] = -gradientScale * normalised;
                continue;
            }
            float logWeight = logDensityRatioPerRow[first + k] - nllPerRow[first + k];
            // log sum_(j != k) w_j, then log-add the geometric mean of the others' weights.
            float logRest = k == largestDraw ? second + MathF.Log(restOfLargest) : largest + MathF.Log(sum - weight);
            float logGeometricMean = (logWeightSum - logWeight) / (samples - 1);
            float high = MathF.Max(logRest, logGeometricMean), low = MathF.Min(logRest, logGeometricMean);
            float leftOut = high + SpecialMath.Log1p(MathF.Exp(low - high));
            coefficients[first + k] = gradientScale * (normalised - (bound - leftOut));
        }
    }

    /// <summary>
    /// dHead for latent element j of image i: sum_k c_k d log q(z_k|x) / d(mu, log sigma^2) at fixed z_k = mu + sigma eps_k,
    /// that is c_k eps_k / sigma and c_k (eps_k^2 - 1) / 2; eps_k is draw k's noise as the reparameterisation drew it.
    /// </summary>
    public static void ScoreEncoderBackwardElement<TStorage, TNormals>(int index, TStorage head, int latent, int samples, TNormals normals,
        TStorage coefficients, TStorage dHead) where TStorage : struct, IFloatStorage where TNormals : struct, IImageNormals
    {
        int image = index / latent, j = index % latent, first = image * samples;
        float inverseSigma = MathF.Exp(-0.5f * head[image * 2 * latent + latent + j]);
        float dMu = 0f, dLogVariance = 0f;
        for (int k = 0; k < samples; k++)
        {
            float eps = normals.At(image, k, j), c = coefficients[first + k];
            dMu += c * eps * inverseSigma;
            dLogVariance += 0.5f * c * (eps * eps - 1f);
        }
        dHead[image * 2 * latent + j] = dMu;
        dHead[image * 2 * latent + latent + j] = dLogVariance;
    }

    /// <summary>
    /// result_i = numerator_i / denominator_i, 0 where the denominator is 0: the factor that turns a draw's gradient
    /// weighted for one bound (the decoder's) into its weight for another (PIWAE's encoder). A draw the decoder weighs 0
    /// is below float resolution in both.
    /// </summary>
    public static void RatioElement<TStorage>(int index, TStorage numerator, TStorage denominator, TStorage result) where TStorage : struct, IFloatStorage =>
        result[index] = denominator[index] == 0f ? 0f : numerator[index] / denominator[index];
}
