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

    /// <summary>-grad log q(x) at samples x of p (regenerated, not stored): forward KL(p || q).</summary>
    [Kernel]
    public static void ForwardKlTerms(Index1D index, UnivariateMixture mixture, ulong seed, ulong stream, long first,
        ArrayView<float> parameters, float scale, int count, ArrayView<float> terms)
    {
        float x = KlFitMath.SampleMixture(mixture, seed, stream, first + index);
        KlFitMath.ForwardKlTerms(x, parameters[0], parameters[1], out float dMu, out float dLogVariance);
        terms[index] = scale * dMu;
        terms[count + index] = scale * dLogVariance;
    }

    /// <summary>Score-function terms of reverse KL(q || p) at x = mu + sigma eps, eps element first + index of FillNormal(seed, stream).</summary>
    [Kernel]
    public static void ReverseKlScoreTerms(Index1D index, UnivariateMixture mixture, ulong seed, ulong stream, long first,
        ArrayView<float> parameters, float scale, int count, ArrayView<float> terms)
    {
        float eps = RandomMath.NormalAt(seed, stream, first + index);
        KlFitMath.ReverseKlScoreTerms(mixture, eps, parameters[0], parameters[1], out float dMu, out float dLogVariance);
        terms[index] = scale * dMu;
        terms[count + index] = scale * dLogVariance;
    }

    /// <summary>Path-wise terms of reverse KL(q || p), with the same noise as ReverseKlScoreTerms for the same stream.</summary>
    [Kernel]
    public static void ReverseKlPathwiseTerms(Index1D index, UnivariateMixture mixture, ulong seed, ulong stream, long first,
        ArrayView<float> parameters, float scale, int count, ArrayView<float> terms)
    {
        float eps = RandomMath.NormalAt(seed, stream, first + index);
        KlFitMath.ReverseKlPathwiseTerms(mixture, eps, parameters[0], parameters[1], out float dMu, out float dLogVariance);
        terms[index] = scale * dMu;
        terms[count + index] = scale * dLogVariance;
    }
}
