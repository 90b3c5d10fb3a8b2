namespace VaeGpu.References;

/// <summary>The plain managed reference for ElboGapKernels, in double, with z formed in a separate array.</summary>
public static class ElboGapReference
{
    public static void Terms(float[] parameters, ElboGapShape shape, ulong seed, ulong stream, float[] z, float[] terms) =>
        Terms(parameters, shape, element => RandomMath.NormalAt(seed, stream, element), z, terms);

    /// <summary>The terms with eps_l of sample s element s k + l of <paramref name="normals"/>.</summary>
    public static void Terms(float[] parameters, ElboGapShape shape, Func<long, double> normals, float[] z, float[] terms)
    {
        int d = shape.Observed, k = shape.Latent;
        double[] eps = new double[k], sample = new double[k];
        for (int s = 0; s < terms.Length; s++)
        {
            for (int l = 0; l < k; l++) eps[l] = normals((long)s * k + l);
            double logPrior = 0, logQ = 0, logLikelihood = 0;
            for (int j = 0; j < k; j++)
            {
                sample[j] = parameters[shape.MeanStart + j];
                for (int l = 0; l <= j; l++) sample[j] += parameters[shape.FactorStart + j * k + l] * eps[l];
                z[s * k + j] = (float)sample[j];
                logPrior -= 0.5 * sample[j] * sample[j];
                logQ -= 0.5 * eps[j] * eps[j];
            }
            for (int i = 0; i < d; i++)
            {
                double mean = parameters[shape.BiasStart + i];
                for (int j = 0; j < k; j++) mean += parameters[shape.WeightsStart + i * k + j] * sample[j];
                double residual = parameters[i] - mean;
                logLikelihood -= 0.5 * shape.InverseNoiseVariance * residual * residual;
            }
            terms[s] = (float)(shape.Offset + logLikelihood + logPrior - logQ);
        }
    }
}
