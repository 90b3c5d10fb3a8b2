namespace VaeGpu.References;

/// <summary>The plain managed reference for ImportanceWeightedKernels, in double.</summary>
public static class ImportanceWeightedReference
{
    /// <summary>Per image the bound L_K; per draw row gradientScale times its normalised weight.</summary>
    public static (double[] Bound, double[] RowScale) Weigh(float[] nllPerRow, float[] logDensityRatioPerRow, int images, int samples, double gradientScale)
    {
        var bound = new double[images];
        var rowScale = new double[images * samples];
        for (int image = 0; image < images; image++)
        {
            var logWeights = Enumerable.Range(image * samples, samples).Select(row => (double)logDensityRatioPerRow[row] - nllPerRow[row]).ToArray();
            double largest = logWeights.Max();
            double sum = logWeights.Sum(w => Math.Exp(w - largest));
            bound[image] = largest + Math.Log(sum / samples);
            for (int k = 0; k < samples; k++) rowScale[image * samples + k] = gradientScale * Math.Exp(logWeights[k] - largest) / sum;
        }
        return (bound, rowScale);
    }

    /// <summary>
    /// dHead in double under the IWAE estimator, eps element e from <paramref name="normals"/> (default:
    /// FillNormal(seed, stream)'s), by differentiating (forward mode, Dual) what each head entry reaches: image i's draw k
    /// has z_k = mu + e^(lv / 2) eps_k and -log w_k = nll_k + z_k^2 / 2 + log q(z_k; mu, lv) (constants dropped), of which
    /// the decoder's part enters as its gradient upstream_k = dz_k (already times s_k = rowScale_k), and the rest times s_k.
    /// Pathwise differentiates all of it; Stl holds q's parameters in log q, so only the path through z_k counts; Dreg
    /// holds them too and weights draw k's terms once more by w~_k = s_k / sum_j s_j.
    /// </summary>
    public static double[] EncoderBackward(GradientEstimator kind, float[] head, int images, int latent, int samples, ulong seed, ulong stream,
        float[] dz, float[] rowScale, Func<long, double>? normals = null)
    {
        if (kind is not (GradientEstimator.Pathwise or GradientEstimator.Stl or GradientEstimator.Dreg))
            throw new ArgumentException($"{kind} is no IWAE estimator.", nameof(kind));
        normals ??= element => RandomMath.NormalAt(seed, stream, element);
        var dHead = new double[head.Length];
        for (int image = 0; image < images; image++)
        for (int j = 0; j < latent; j++)
        {
            double scaleSum = Enumerable.Range(image * samples, samples).Sum(row => (double)rowScale[row]);

            Dual Reached(Dual mu, Dual logVariance)
            {
                Dual sigma = Dual.Exp(0.5 * logVariance);
                bool qHeld = kind != GradientEstimator.Pathwise;
                Dual qMu = qHeld ? mu.Value : mu, qLogVariance = qHeld ? logVariance.Value : logVariance;
                Dual total = 0;
                for (int k = 0; k < samples; k++)
                {
                    int row = image * samples + k;
                    double s = rowScale[row];
                    Dual z = mu + sigma * normals((long)row * latent + j);
                    Dual logQ = -0.5 * (z - qMu) * (z - qMu) / Dual.Exp(qLogVariance) - 0.5 * qLogVariance;
                    Dual negativeLogWeight = dz[row * latent + j] * z + s * (0.5 * z * z + logQ);
                    total += kind == GradientEstimator.Dreg ? s / scaleSum * negativeLogWeight : negativeLogWeight;
                }
                return total;
            }

            double headMu = head[image * 2 * latent + j], headLogVariance = head[image * 2 * latent + latent + j];
            dHead[image * 2 * latent + j] = Reached(Dual.Variable(headMu), headLogVariance).Derivative;
            dHead[image * 2 * latent + latent + j] = Reached(headMu, Dual.Variable(headLogVariance)).Derivative;
        }
        return dHead;
    }
}
