namespace VaeGpu.Kernels;

/// <summary>
/// The importance-weighted bound (Burda, Grosse and Salakhutdinov 2016) written once, for ImportanceWeightedKernels and
/// the host backend's loops. Image i owns the K draw rows iK .. iK + K - 1, and draw k has the log weight
/// log w_k = log p(x|z_k) + log p(z_k) - log q(z_k|x) = logRatio_k - nll_k. The bound is
/// L_K = log (1/K) sum_k w_k; its gradient weights each draw's by the normalised weight w~_k = w_k / sum_j w_j.
/// (ImportanceWeightedReference weighs in double and differentiates the encoder's terms by dual numbers, as the independent check.)
/// </summary>
public static partial class ImportanceWeightedMath
{
    /// <summary>
    /// A draw whose weight is below 2^-60 of the largest is given none: its share of the gradient lies below float
    /// resolution even summed over the most draws, and the products its tiny scaled gradients would feed run on
    /// subnormal floats, which x86 cores handle in microcode (in measured IWAE training this made the step 2-3x slower).
    /// </summary>
    public const float NegligibleWeight = 8.6736174e-19f; // 2^-60

    /// <summary>
    /// Image <paramref name="image"/>'s bound and draw weights under the importance-weighted bound L_K: WeighImage with
    /// BoundWeighting.Iwae.
    /// </summary>
    public static void WeighImage<TStorage>(int image, int samples, TStorage nllPerRow, TStorage logDensityRatioPerRow, TStorage klPerRow,
        float gradientScale, TStorage rowScale, TStorage boundPerImage, TStorage runningSums) where TStorage : struct, IFloatStorage =>
        WeighImage(image, samples, nllPerRow, logDensityRatioPerRow, klPerRow, gradientScale, BoundWeighting.Iwae, rowScale, boundPerImage, runningSums);

    /// <summary>
    /// Image <paramref name="image"/>'s bound and draw weights: rowScale_k = gradientScale * d bound / d log w_k (the
    /// factor each draw's decoder gradient takes; a group's draw below NegligibleWeight of its largest gets none of the
    /// group's share), boundPerImage = the bound (BoundWeighting), each group's log-sum-exp about its largest log weight
    /// (no term overflows), and runningSums (images x 2) += [-bound - KL, KL], KL the analytic KL(q(z|x) || p(z)) of the
    /// image (every draw row holds it), so the two columns sum to the loss -bound as they sum to -ELBO for the ELBO.
    /// Under BoundWeighting.Iwae every float operation is the one the importance-weighted bound alone took.
    /// </summary>
    public static void WeighImage<TStorage>(int image, int samples, TStorage nllPerRow, TStorage logDensityRatioPerRow, TStorage klPerRow,
        float gradientScale, BoundWeighting weighting, TStorage rowScale, TStorage boundPerImage, TStorage runningSums) where TStorage : struct, IFloatStorage
    {
        float bound = DrawWeights(image, samples, nllPerRow, logDensityRatioPerRow, gradientScale, weighting, rowScale);
        float kl = klPerRow[image * samples];
        boundPerImage[image] = bound;
        runningSums[2 * image] += -bound - kl;
        runningSums[2 * image + 1] += kl;
    }

    /// <summary>WeighImage's draw weights alone (rowScale), returning the bound: PIWAE's encoder weighs its draws by a second BoundWeighting.</summary>
    public static float DrawWeights<TStorage>(int image, int samples, TStorage nllPerRow, TStorage logDensityRatioPerRow,
        float gradientScale, BoundWeighting weighting, TStorage rowScale) where TStorage : struct, IFloatStorage
    {
        int first = image * samples, groupSize = samples / weighting.Groups;
        float power = 1f - weighting.Alpha, share = (1f - weighting.ElboWeight) / weighting.Groups, bound = 0f;
        for (int group = 0; group < weighting.Groups; group++)
        {
            int start = first + group * groupSize;
            float largest = float.NegativeInfinity;
            for (int k = 0; k < groupSize; k++) largest = MathF.Max(largest, logDensityRatioPerRow[start + k] - nllPerRow[start + k]);
            float sum = 0f;
            for (int k = 0; k < groupSize; k++)
            {
                float weight = MathF.Exp(power * (logDensityRatioPerRow[start + k] - nllPerRow[start + k] - largest));
                rowScale[start + k] = weight;
                sum += weight;
            }
            float scale = gradientScale / sum;
            for (int k = 0; k < groupSize; k++)
            {
                float weight = rowScale[start + k];
                rowScale[start + k] = weight < NegligibleWeight ? 0f : weight * scale * share;
            }
            bound += share * (largest + MathF.Log(sum / groupSize) / power);
        }
        if (weighting.ElboWeight != 0f)
        {
            float meanLogWeight = 0f, elboScale = gradientScale * weighting.ElboWeight / samples;
            for (int k = 0; k < samples; k++)
            {
                meanLogWeight += logDensityRatioPerRow[first + k] - nllPerRow[first + k];
                rowScale[first + k] += elboScale;
            }
            bound += weighting.ElboWeight * meanLogWeight / samples;
        }
        return bound;
    }

    /// <summary>Element <paramref name="index"/> of a draws x columns gradient times its row's scale.</summary>
    public static void ScaleElement<TStorage>(int index, int columns, TStorage rowScale, TStorage values) where TStorage : struct, IFloatStorage =>
        values[index] *= rowScale[index / columns];

    /// <summary>
    /// dHead for latent element j of image i (index = i d + j): the gradient of the loss -L_K (mean over the batch, through
    /// rowScale) for mu and log sigma^2 (lv), sigma = e^(lv / 2), z_k = mu + sigma eps_k with eps_k element
    /// (iK + k) d + j of the normals. upstream_k = dz of draw k, already scaled by s_k = rowScale_k (the decoder's
    /// gradient was), and S = sum_k s_k. dz_k/dmu = 1, dz_k/dlv = eps_k sigma / 2.
    /// Pathwise (the plain IWAE gradient, the total derivative of log w_k at fixed eps): log q(z_k|x) = -eps_k^2/2 - lv/2 + c
    /// there, so d/dmu = sum_k (upstream_k + s_k z_k), d/dlv = sum_k (upstream_k + s_k z_k) eps_k sigma / 2 - S / 2.
    /// Stl (Roeder et al. 2017): log w_k through z_k only, q's parameters held: t_k = upstream_k + s_k (z_k - eps_k / sigma),
    /// d/dmu = sum_k t_k, d/dlv = sum_k t_k eps_k sigma / 2.
    /// Dreg (Tucker et al. 2019): the same through-z terms weighted once more by w~_k = s_k / S, so each counts w~_k^2.
    /// </summary>
    public static void EncoderBackwardElement<TStorage, TNormals>(int index, TStorage head, int latent, int samples, TNormals normals,
        TStorage dz, TStorage rowScale, GradientEstimator kind, TStorage dHead) where TStorage : struct, IFloatStorage where TNormals : struct, IImageNormals
    {
        int image = index / latent, j = index % latent, first = image * samples;
        float mu = head[image * 2 * latent + j];
        float sigma = MathF.Exp(0.5f * head[image * 2 * latent + latent + j]);
        float scaleSum = 0f;
        for (int k = 0; k < samples; k++) scaleSum += rowScale[first + k];
        float dMu = 0f, dLogVariance = 0f;
        for (int k = 0; k < samples; k++)
        {
            int row = first + k;
            // By coordinates, not by element (row d + j): the samplers would divide the element back into image, draw
            // and column in 64 bits, subroutine calls that took this kernel to 34 registers (32 keeps full occupancy).
            float eps = normals.At(image, k, j);
            float z = mu + sigma * eps, s = rowScale[row], upstream = dz[row * latent + j];
            float throughZ = kind == GradientEstimator.Pathwise ? upstream + s * z : upstream + s * (z - eps / sigma);
            if (kind == GradientEstimator.Dreg) throughZ *= s / scaleSum;
            dMu += throughZ;
            dLogVariance += 0.5f * throughZ * eps * sigma;
        }
        if (kind == GradientEstimator.Pathwise) dLogVariance -= 0.5f * scaleSum;
        dHead[image * 2 * latent + j] = dMu;
        dHead[image * 2 * latent + latent + j] = dLogVariance;
    }
}
