using ILGPU;

namespace VaeGpu.Kernels;

/// <summary>
/// Kernels of the KL-fit experiment (vaegpu kl-fit): samples of a Gaussian mixture p, and per-sample gradient terms of
/// the forward and reverse KL divergences between p and q = N(mu, e^r), for IBackend.Sum to reduce. One thread per
/// sample; sample i is first + i, so a run split into chunks draws the same numbers as one launch. parameters holds
/// (mu, r) on the device, where the optimiser updates them. terms is 2 x count: d/dmu in row 0, d/dr in row 1, each
/// multiplied by scale (1 / batch gives the minibatch mean as the sum). Formulas: KlFitMath. Reference: KlFitReference.
/// </summary>
public static class KlFitKernels
{
    [Kernel]
    public static void SampleMixture(Index1D index, UnivariateMixture mixture, ulong seed, ulong stream, long first, ArrayView<float> samples)
    {
        samples[index] = KlFitMath.SampleMixture(mixture, seed, stream, first + index);
    }

    /// <summary>
    /// A KlGradient's per-sample terms (KlFitMath.Terms) for samples first .. first + count - 1: terms is 2 x count,
    /// d/dmu in row 0 and d/dr in row 1, each times scale. Forward KL regenerates the samples of p rather than storing them.
    /// </summary>
    [Kernel]
    public static void Terms(Index1D index, int direction, int estimator, UnivariateMixture mixture, ulong seed, ulong stream, long first,
        ArrayView<float> parameters, float scale, int count, ArrayView<float> terms)
    {
        KlFitMath.Terms(direction, estimator, mixture, seed, stream, first + index, parameters[0], parameters[1], out float dMu, out float dLogVariance);
        terms[index] = scale * dMu;
        terms[count + index] = scale * dLogVariance;
    }
}
