using VaeGpu.Kernels;

namespace VaeGpu.Tests;

/// <summary>
/// Each coupled sampler's normal for an element, as the tests expect it: Joe-Kuo points from sobol.cc's recurrence,
/// scrambled bit by bit, under MathNet's quantile (rqmc); the negated plain draw of the pair's first row (antithetic);
/// StratifiedDraws itself, whose strata are tested on their own (stratified).
/// </summary>
static class CoupledDrawsReference
{
    public static Func<long, double> For(Sampler sampler, ulong seed, ulong stream, int latent, int samplesPerImage) => sampler switch
    {
        Sampler.Stratified => element => new StratifiedDraws(seed, stream, latent, samplesPerImage).At(element),
        Sampler.Antithetic => element => element / latent % 2 == 0
            ? RandomMath.NormalAt(seed, stream, element)
            : -RandomMath.NormalAt(seed, stream, element - latent),
        Sampler.Rqmc => element => MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, SamplingReference.SobolDrawUniform(seed, stream, latent, samplesPerImage, element)),
        _ => element => RandomMath.NormalAt(seed, stream, element),
    };
}
