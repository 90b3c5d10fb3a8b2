using VaeGpu.Kernels;

namespace VaeGpu.Host.Experiments.MonteCarlo;

/// <summary>
/// Philox streams of `vaegpu mc`. Every (integrand, run, chunk) has its own stream, so the estimates of different
/// functions and of different sample sizes are statistically independent (disjoint draws, not nested prefixes): each
/// point of the sweep is a fresh experiment, and its error is not a running average of the smaller ones.
/// </summary>
public static class MonteCarloStreams
{
    /// <summary>The run of the single estimate (--samples); the sweep point N = 10^e is run e (e >= 1).</summary>
    public const int SingleEstimate = 0;

    /// <summary>Bits 48-55 name the integrand, bits 32-47 the run, bits 0-31 the chunk of up to 2^20 samples.</summary>
    public static ulong Chunk(GaussianIntegrand integrand, int run, int chunk) =>
        ((ulong)integrand << 48) | ((ulong)(uint)run << 32) | (uint)chunk;
}
