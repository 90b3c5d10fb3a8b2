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

    /// <summary>
    /// The Rényi bound's gradient terms (KlFitMath.RenyiTerms), one thread per group of k draws, for groups
    /// firstGroup .. firstGroup + count - 1: terms is 2 x count as for Terms, d/dmu of L_alpha,k in row 0 and d/dr in
    /// row 1, each times scale.
    /// </summary>
    [Kernel]
    public static void RenyiTerms(Index1D index, UnivariateMixture mixture, ulong seed, ulong stream, long firstGroup, int k, float alpha,
        ArrayView<float> parameters, float scale, int count, ArrayView<float> terms)
    {
        KlFitMath.RenyiTerms(mixture, seed, stream, firstGroup + index, k, alpha, parameters[0], parameters[1], out float dMu, out float dLogVariance);
        terms[index] = scale * dMu;
        terms[count + index] = scale * dLogVariance;
    }

    /// <summary>
    /// Draws first .. first + count - 1 of the mixture q (KlFitMath.MixtureQDraw) and their implicit gradients: draws is
    /// count x 6, row i holding z and then dz/dtheta in MixtureQParameters order. parameters holds q's five.
    /// </summary>
    [Kernel]
    public static void MixtureQDraws(Index1D index, ulong seed, ulong stream, long first, ArrayView<float> parameters, ArrayView<float> draws)
    {
        const int width = MixtureQParameters.Count + 1;
        draws[width * index] = KlFitMath.MixtureQDraw(ReadMixtureQ(parameters), seed, stream, first + index, out var transport);
        for (int column = 0; column < MixtureQParameters.Count; column++) draws[width * index + 1 + column] = transport[column];
    }

    /// <summary>
    /// Reverse KL(q || p) per-draw gradient terms for the mixture q (KlFitMath.ReverseKlMixtureQTerms): terms is count x 5,
    /// row i draw i's terms in MixtureQParameters order, each times scale. Draws are rows so that IBackend.SumColumns
    /// reduces a minibatch to the gradient in one launch; Adam then updates parameters on the device.
    /// </summary>
    [Kernel]
    public static void ReverseKlMixtureQTerms(Index1D index, UnivariateMixture target, ulong seed, ulong stream, long first,
        ArrayView<float> parameters, float scale, ArrayView<float> terms)
    {
        var gradient = KlFitMath.ReverseKlMixtureQTerms(target, ReadMixtureQ(parameters), seed, stream, first + index);
        for (int column = 0; column < MixtureQParameters.Count; column++) terms[MixtureQParameters.Count * index + column] = scale * gradient[column];
    }

    static MixtureQParameters ReadMixtureQ(ArrayView<float> parameters) =>
        new(parameters[0], parameters[1], parameters[2], parameters[3], parameters[4]);
}
