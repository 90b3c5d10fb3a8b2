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

    /// <summary>Element e of a sampled chunk (SampledValue), one thread per element.</summary>
    [Kernel]
    public static void SampledIntegrand(Index1D element, ArrayView<float> values, int integrand, int sampler, float mu, float sigma,
        ulong seed, ulong stream, int replicate, long pointsPerReplicate, long firstPoint, float shift)
    {
        uint scramble = SamplingMath.ReplicateSeed(seed, stream, replicate);
        values[element] = SampledValue(integrand, (Sampler)sampler, mu, sigma, seed, stream, replicate, scramble, pointsPerReplicate, firstPoint + element, shift);
    }

    /// <summary>
    /// The value point <paramref name="point"/> of a replicate contributes, minus <paramref name="shift"/> (a constant the
    /// caller adds back, so that float sums keep the small differences): Antithetic, the pair mean
    /// (f(mu + sigma eps) + f(mu - sigma eps)) / 2 with eps element <paramref name="point"/> of FillNormal(seed, stream);
    /// Stratified and Rqmc, f(mu + sigma eps) with eps = SamplingMath.PointNormal (scramble: the replicate's
    /// SamplingMath.ReplicateSeed); Mc, f of FillNormal's element.
    /// </summary>
    public static float SampledValue(int integrand, Sampler sampler, float mu, float sigma, ulong seed, ulong stream,
        int replicate, uint scramble, long pointsPerReplicate, long point, float shift)
    {
        if (sampler == Sampler.Antithetic)
        {
            float eps = RandomMath.NormalAt(seed, stream, point);
            return 0.5f * (Evaluate(integrand, mu + sigma * eps) + Evaluate(integrand, mu - sigma * eps)) - shift;
        }
        float normal = sampler == Sampler.Mc
            ? RandomMath.NormalAt(seed, stream, point)
            : SamplingMath.PointNormal(sampler, seed, stream, replicate, scramble, pointsPerReplicate, point);
        return Evaluate(integrand, mu + sigma * normal) - shift;
    }

    /// <summary>Element e of the importance-sampling terms (ImportanceTerm): row 0 w f, row 1 w, row 2 w (w f), of count each.</summary>
    [Kernel]
    public static void ImportanceTerms(Index1D element, ArrayView<float> terms, int count, int integrand, float mu, float sigma,
        float proposalMu, float proposalSigma, ulong seed, ulong stream, long firstPoint)
    {
        float weighted = ImportanceTerm(integrand, mu, sigma, proposalMu, proposalSigma, seed, stream, firstPoint + element, out float weight);
        terms[element] = weighted;
        terms[count + element] = weight;
        terms[2 * count + element] = weight * weighted;
    }

    /// <summary>
    /// Draw <paramref name="point"/> of an importance-sampled estimate of E_p f, p = N(mu, sigma^2): x = proposalMu +
    /// proposalSigma eps from the proposal q, eps element <paramref name="point"/> of FillNormal(seed, stream); returns
    /// w f(x) with the weight w = p(x) / q(x) = (proposalSigma / sigma) exp(eps^2 / 2 - (x - mu)^2 / (2 sigma^2)).
    /// </summary>
    public static float ImportanceTerm(int integrand, float mu, float sigma, float proposalMu, float proposalSigma, ulong seed, ulong stream,
        long point, out float weight)
    {
        float eps = RandomMath.NormalAt(seed, stream, point);
        float x = proposalMu + proposalSigma * eps;
        float standardised = (x - mu) / sigma;
        weight = proposalSigma / sigma * MathF.Exp(0.5f * (eps * eps - standardised * standardised));
        return weight * Evaluate(integrand, x);
    }

    /// <summary>f(z) for a GaussianIntegrand passed as an int.</summary>
    public static float Evaluate(int integrand, float z)
    {
        if (integrand == (int)GaussianIntegrand.Identity) return z;
        if (integrand == (int)GaussianIntegrand.Square) return z * z;
        if (integrand == (int)GaussianIntegrand.Exp) return MathF.Exp(z);
        if (integrand == (int)GaussianIntegrand.Cos) return MathF.Cos(z);
        if (integrand == (int)GaussianIntegrand.Positive) return z > 0f ? 1f : 0f;
        return z > 4f ? 1f : 0f;
    }
}
