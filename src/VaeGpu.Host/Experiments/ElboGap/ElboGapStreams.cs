namespace VaeGpu.Host.Experiments.ElboGap;

/// <summary>
/// Philox streams of `vaegpu elbo-gap`, under the run's seed. The top bits name the purpose, so the model's draws, the
/// observation and each q's samples never share numbers; each chunk of a q's samples has its own stream.
/// </summary>
public static class ElboGapStreams
{
    /// <summary>Element i k + j is W[i, j]; element i is b[i].</summary>
    public const ulong Weights = 1UL << 60, Bias = 2UL << 60;

    /// <summary>Elements 0 .. k-1 are the latent z that generated x, elements k .. k+d-1 its observation noise.</summary>
    public const ulong Observation = 3UL << 60;

    const ulong Samples = 4UL << 60, CoupledSamples = 5UL << 60;

    /// <summary>eps for chunk <paramref name="chunk"/> of the samples of candidate q number <paramref name="candidate"/>.</summary>
    public static ulong QSamples(int candidate, int chunk) => Samples | ((ulong)(uint)candidate << 32) | (uint)chunk;

    /// <summary>The coupled draws (--sampler) of candidate q number <paramref name="candidate"/>: one stream, its replicates the images of ImageDraws.</summary>
    public static ulong CoupledQSamples(int candidate) => CoupledSamples | ((ulong)(uint)candidate << 32);
}
