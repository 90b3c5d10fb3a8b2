using System.Diagnostics;
using VaeGpu.Kernels;
using VaeGpu.Runtime;
using VaeGpu.Runtime.Experiments.MonteCarlo;

namespace VaeGpu.Host.Experiments.MonteCarlo;

/// <summary>
/// Estimates E[f(z)], z ~ N(mu, sigma^2), as the mean of f over N draws: the integrand kernel fills a chunk with f of
/// fresh samples, the backend reduces it, and the standard error is the sample standard deviation over sqrt(N).
/// </summary>
public sealed class GaussianMonteCarlo(IBackend backend, float mu, float sigma, ulong seed)
{
    readonly IMonteCarloOperations operations = MonteCarloOperations.For(backend);
    readonly ChunkReducer reducer = new(backend);

    /// <summary>Largest N the sweep and the single estimate accept: 10^4 chunks, minutes on the host path.</summary>
    public const long MaxSamples = 10_000_000_000;

    /// <param name="run">MonteCarloStreams.SingleEstimate, or the sweep's exponent: different runs draw disjoint samples.</param>
    public MonteCarloEstimate Estimate(GaussianIntegrand integrand, long samples, int run)
    {
        var clock = Stopwatch.StartNew();
        var moments = reducer.Reduce(samples, (values, chunk) =>
            operations.Integrand(integrand, mu, sigma, seed, MonteCarloStreams.Chunk(integrand, run, chunk), values));
        return new(integrand, samples, moments.Mean, moments.StandardError, GaussianExpectations.Exact(integrand, mu, sigma), clock.Elapsed.TotalSeconds);
    }

    /// <summary>N = 10^2, 10^3, ... up to <paramref name="maxSamples"/>, with each one's exponent (its run).</summary>
    public static IEnumerable<(long Samples, int Exponent)> SweepSizes(long maxSamples)
    {
        long samples = 100;
        for (int exponent = 2; samples <= maxSamples; exponent++, samples *= 10) yield return (samples, exponent);
    }
}
