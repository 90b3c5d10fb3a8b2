using ILGPU;

namespace VaeGpu.Kernels;

/// <summary>
/// The Gaussian encoder's sampling step and its gradient. The encoder head is B x 2d: mu in columns [0, d), log sigma^2
/// in [d, 2d). z = mu + sigma * eps with eps element r * d + j of FillNormal(seed, stream), regenerated in the
/// backward pass rather than stored. One thread per row, so the per-row sums need no atomics.
/// Bodies: ReparameterizationMath (shared with the host backend). Reference: ReparameterizationReference.
/// </summary>
public static class ReparameterizationKernels
{
    /// <summary>
    /// z, the analytic KL(q(z|x) || N(0, I)) = -1/2 sum(1 + lv - mu^2 - e^lv) per row, and per row
    /// log p(z) - log q(z|x) = sum(-z^2/2 + eps^2/2 + lv/2) (the 2 pi terms cancel), which importance weighting needs.
    /// A group per z row, a thread per latent element (striding when latent exceeds the group), the row's two sums by
    /// GroupSum's fixed tree: a batch of 128 rows spreads over 128 groups, where a thread per row put all 128 rows'
    /// 20 sequential Philox draws in one group on one SM. z row r draws from head row r / samplesPerImage, its noise
    /// ImageDraws' under the sampler (draws firstDraw .. of drawsPerImage per image; sobolDirections: the device copy of
    /// SobolDirections.Table, read by Rqmc alone). Launch with KernelConfig(rows, a power of two at most
    /// ReductionKernels.MaxGroupSize).
    /// </summary>
    [Kernel(KernelGrouping.Explicit)]
    public static void Forward(ArrayView<float> head, int latent, int samplesPerImage, int sampler, ulong seed, ulong stream,
        int firstDraw, int drawsPerImage, ArrayView<uint> sobolDirections, ArrayView<float> z, ArrayView<float> klPerRow, ArrayView<float> logDensityRatioPerRow)
    {
        var shared = SharedMemory.Allocate<float>(ReductionKernels.MaxGroupSize);
        var draws = new ImageDraws<ViewDirections>((Sampler)sampler, seed, stream, latent, samplesPerImage, firstDraw, drawsPerImage, new ViewDirections(sobolDirections));
        var storage = new ViewStorage(head);
        int row = Grid.IdxX, image = row / samplesPerImage, draw = row - image * samplesPerImage;
        float kl = 0f, logRatio = 0f;
        for (int j = Group.IdxX; j < latent; j += Group.DimX)
        {
            z[row * latent + j] = ReparameterizationMath.ForwardElement(storage, latent, image, draw, j, draws, out float klTerm, out float logRatioTerm);
            kl += klTerm;
            logRatio += logRatioTerm;
        }
        float rowKl = GroupSum.Of(shared, kl);
        Group.Barrier(); // every thread has read the KL sum before the tree is reused
        float rowLogRatio = GroupSum.Of(shared, logRatio);
        if (Group.IdxX == 0)
        {
            klPerRow[row] = rowKl;
            logDensityRatioPerRow[row] = rowLogRatio;
        }
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
