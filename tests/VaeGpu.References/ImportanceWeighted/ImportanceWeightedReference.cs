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
    /// dHead in double under the IWAE estimator (formulas in ImportanceWeightedMath.EncoderBackwardElement), eps element e
    /// from <paramref name="normals"/> (default: FillNormal(seed, stream)'s).
    /// </summary>
    public static double[] EncoderBackward(GradientEstimator kind, float[] head, int images, int latent, int samples, ulong seed, ulong stream,
        float[] dz, float[] rowScale, Func<long, double>? normals = null)
    {
        normals ??= element => RandomMath.NormalAt(seed, stream, element);
        var dHead = new double[head.Length];
        for (int image = 0; image < images; image++)
        for (int j = 0; j < latent; j++)
        {
            double mu = head[image * 2 * latent + j], sigma = Math.Exp(0.5 * head[image * 2 * latent + latent + j]);
            double scaleSum = Enumerable.Range(image * samples, samples).Sum(row => (double)rowScale[row]);
            double dMu = 0, dLogVariance = 0;
            for (int k = 0; k < samples; k++)
            {
                int row = image * samples + k;
                double eps = normals((long)row * latent + j);
                double z = mu + sigma * eps, s = rowScale[row], upstream = dz[row * latent + j];
                double throughZ = kind switch
                {
                    GradientEstimator.Pathwise => upstream + s * z,
                    GradientEstimator.Stl => upstream + s * (z - eps / sigma),
                    GradientEstimator.Dreg => (upstream + s * (z - eps / sigma)) * s / scaleSum,
                    _ => throw new ArgumentException($"{kind} is no IWAE estimator.", nameof(kind)),
                };
                dMu += throughZ;
                dLogVariance += 0.5 * throughZ * eps * sigma;
            }
            if (kind == GradientEstimator.Pathwise) dLogVariance -= 0.5 * scaleSum;
            dHead[image * 2 * latent + j] = dMu;
            dHead[image * 2 * latent + latent + j] = dLogVariance;
        }
        return dHead;
    }
}
