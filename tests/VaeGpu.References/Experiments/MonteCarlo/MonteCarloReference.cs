namespace VaeGpu.References;

/// <summary>The plain managed reference for MonteCarloKernels: one element at a time, f in double.</summary>
public static class MonteCarloReference
{
    public static void Integrand(float[] values, GaussianIntegrand integrand, float mu, float sigma, ulong seed, ulong stream)
    {
        for (int e = 0; e < values.Length; e++)
        {
            double z = mu + (double)sigma * RandomMath.NormalAt(seed, stream, e);
            values[e] = (float)(integrand switch
            {
                GaussianIntegrand.Identity => z,
                GaussianIntegrand.Square => z * z,
                GaussianIntegrand.Exp => Math.Exp(z),
                GaussianIntegrand.Cos => Math.Cos(z),
                GaussianIntegrand.Positive => z > 0 ? 1.0 : 0.0,
                GaussianIntegrand.Above4 => z > 4 ? 1.0 : 0.0,
                _ => throw new ArgumentOutOfRangeException(nameof(integrand)),
            });
        }
    }
}
