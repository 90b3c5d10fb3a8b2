using ILGPU;

namespace VaeGpu.Kernels;

/// <summary>
/// The Gaussian encoder's sampling step and its gradient. The encoder head is B x 2d: mu in columns [0, d), log sigma^2
/// in [d, 2d). z = mu + sigma * eps with eps element r * d + j of FillNormal(seed, stream), regenerated in the
/// backward pass rather than stored. One thread per row, so the per-row sums need no atomics.
/// Bodies: ReparameterizationMath (shared with the CPU backend). Reference: ReparameterizationReference.
/// </summary>
public static class ReparameterizationKernels
{
    /// <summary>
    /// z, the analytic KL(q(z|x) || N(0, I)) = -1/2 sum(1 + lv - mu^2 - e^lv) per row, and per row
    /// log p(z) - log q(z|x) = sum(-z^2/2 + eps^2/2 + lv/2) (the 2 pi terms cancel), which importance weighting needs.
    /// A thread per z row; z row r draws from head row r / samplesPerImage, its noise ImageDraws' under the sampler
    /// (draws firstDraw .. of drawsPerImage per image; sobolDirections: the device copy of SobolDirections.Table, read by
    /// Rqmc alone).
    /// </summary>
    [Kernel]
    public static void Forward(Index1D row, ArrayView<float> head, int latent, int samplesPerImage, int sampler, ulong seed, ulong stream,
        int firstDraw, int drawsPerImage, ArrayView<uint> sobolDirections, ArrayView<float> z, ArrayView<float> klPerRow, ArrayView<float> logDensityRatioPerRow)
    {
        var draws = new ImageDraws<ViewDirections>((Sampler)sampler, seed, stream, latent, samplesPerImage, firstDraw, drawsPerImage, new ViewDirections(sobolDirections));
        ReparameterizationMath.ForwardRow(row, new ViewStorage(head), latent, samplesPerImage, draws, new ViewStorage(z),
            new ViewStorage(klPerRow), new ViewStorage(logDensityRatioPerRow));
    }

    /// <summary>
    /// dHead for one latent element under the chosen estimator (ReparameterizationMath.Backward). The score estimators'
    /// signal for the element's row is (nllPerRow - BaselineScale * baselineSumPerRow) * SignalScale; the other kinds do not
    /// read those views.
    /// </summary>
    [Kernel]
    public static void Backward(Index1D index, ArrayView<float> head, int latent, ulong seed, ulong stream,
        ArrayView<float> dz, ArrayView<float> nllPerRow, ArrayView<float> baselineSumPerRow, EncoderEstimatorScalars scalars, ArrayView<float> dHead)
    {
        ReparameterizationMath.BackwardElement(index, new ViewStorage(head), latent, new PhiloxNormals(seed, stream), new ViewStorage(dz),
            new ViewStorage(nllPerRow), new ViewStorage(baselineSumPerRow), scalars, new ViewStorage(dHead));
    }
}
