using ILGPU;

namespace VaeGpu.Kernels;

/// <summary>
/// The Monte Carlo integrand: thread b computes Philox block b of (seed, stream), turns its four integers into four
/// normals exactly as RandomKernels.FillNormal does, and writes f(mu + sigma eps) for elements 4b .. 4b+3. The
/// samples are never stored, only f of them, which IBackend.Sum and SumOfSquares then reduce.
/// Reference: MonteCarloReference.
/// </summary>
public static class MonteCarloKernels
{
    [Kernel]
    public static void Integrand(Index1D block, ArrayView<float> values, int integrand, float mu, float sigma, ulong seed, ulong stream)
    {
        var eps = NormalBlock.At(seed, stream, block);
        long first = 4L * block;
        if (first < values.Length) values[first] = Evaluate(integrand, mu + sigma * eps.N0);
        if (first + 1 < values.Length) values[first + 1] = Evaluate(integrand, mu + sigma * eps.N1);
        if (first + 2 < values.Length) values[first + 2] = Evaluate(integrand, mu + sigma * eps.N2);
        if (first + 3 < values.Length) values[first + 3] = Evaluate(integrand, mu + sigma * eps.N3);
    }

    /// <summary>f(z) for a GaussianIntegrand passed as an int.</summary>
    public static float Evaluate(int integrand, float z)
    {
        if (integrand == (int)GaussianIntegrand.Identity) return z;
        if (integrand == (int)GaussianIntegrand.Square) return z * z;
        if (integrand == (int)GaussianIntegrand.Exp) return MathF.Exp(z);
        if (integrand == (int)GaussianIntegrand.Cos) return MathF.Cos(z);
        return z > 0f ? 1f : 0f;
    }
}
