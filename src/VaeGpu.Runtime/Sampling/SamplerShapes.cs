using VaeGpu.Kernels;

namespace VaeGpu.Runtime.Sampling;

/// <summary>The check every family that draws through VaeGpu.Kernels.ImageDraws makes, so a sampler fails the same way in each.</summary>
static class SamplerShapes
{
    /// <summary>
    /// What each sampler needs of K draws per image in d dimensions (VaeGpu.Kernels.ImageDraws): antithetic pairs need K
    /// even; the Sobol points need d within the Joe-Kuo table's dimensions.
    /// </summary>
    public static void Draws(Sampler sampler, int latent, int samplesPerImage)
    {
        if (!Enum.IsDefined(sampler)) throw new ArgumentOutOfRangeException(nameof(sampler), sampler, "no such sampler.");
        if (sampler == Sampler.Antithetic && samplesPerImage % 2 != 0)
            throw new ArgumentException($"antithetic draws come in pairs: {samplesPerImage} draws per image is odd.", nameof(sampler));
        if (sampler == Sampler.Rqmc && latent > SobolDirections.Dimensions)
            throw new ArgumentException($"the Sobol table holds {SobolDirections.Dimensions} dimensions, not {latent}.", nameof(sampler));
    }
}
