namespace VaeGpu.References;

/// <summary>The plain managed reference for ReparameterizationKernels, in double.</summary>
public static class ReparameterizationReference
{
    /// <summary>z, KL and log p(z) - log q(z|x) for <paramref name="rows"/> z rows, row r drawn from head row r / samplesPerImage.</summary>
    public static void Forward(float[] head, int rows, int latent, ulong seed, ulong stream,
        float[] z, float[] klPerRow, float[] logDensityRatioPerRow, int samplesPerImage = 1)
    {
        for (int row = 0; row < rows; row++)
        {
            double kl = 0, logRatio = 0;
            int image = row / samplesPerImage;
            for (int j = 0; j < latent; j++)
            {
                double mu = head[image * 2 * latent + j], logVariance = head[image * 2 * latent + latent + j];
                double eps = RandomMath.NormalAt(seed, stream, (long)row * latent + j);
                double sample = mu + Math.Exp(0.5 * logVariance) * eps;
                z[row * latent + j] = (float)sample;
                kl += -0.5 * (1 + logVariance - mu * mu - Math.Exp(logVariance));
                logRatio += 0.5 * (eps * eps - sample * sample + logVariance);
            }
            klPerRow[row] = (float)kl;
            logDensityRatioPerRow[row] = (float)logRatio;
        }
    }

    /// <summary>
    /// dHead in double under the estimator. <paramref name="nllPerRow"/> is read by the score estimators only, and
    /// <paramref name="baselinePerRow"/> is the baseline mean (0 for Score).
    /// </summary>
    public static void Backward(GradientEstimator kind, float[] head, int rows, int latent, ulong seed, ulong stream, float[] dz, float klWeight,
        float[] nllPerRow, float[] baselinePerRow, float signalScale, float[] dHead)
    {
        for (int row = 0; row < rows; row++)
        for (int j = 0; j < latent; j++)
        {
            double mu = head[row * 2 * latent + j], logVariance = head[row * 2 * latent + latent + j];
            double eps = RandomMath.NormalAt(seed, stream, (long)row * latent + j);
            double sigma = Math.Exp(0.5 * logVariance), upstream = dz[row * latent + j];
            double klMu = klWeight * mu, klLogVariance = 0.5 * klWeight * (sigma * sigma - 1);
            double signal = ((double)nllPerRow[row] - baselinePerRow[row]) * signalScale;
            double z = mu + sigma * eps;
            (double dMu, double dLogVariance) = kind switch
            {
                GradientEstimator.Pathwise => (upstream + klMu, 0.5 * upstream * eps * sigma + klLogVariance),
                GradientEstimator.Stl => (upstream + klWeight * (z - eps / sigma), 0.5 * (upstream + klWeight * (z - eps / sigma)) * eps * sigma),
                _ => (signal * eps / sigma + klMu, 0.5 * signal * (eps * eps - 1) + klLogVariance),
            };
            dHead[row * 2 * latent + j] = (float)dMu;
            dHead[row * 2 * latent + latent + j] = (float)dLogVariance;
        }
    }
}
