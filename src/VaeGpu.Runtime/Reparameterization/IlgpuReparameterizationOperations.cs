using ILGPU;
using ILGPU.Runtime;
using VaeGpu.Kernels;
using VaeGpu.Runtime.Ilgpu;

namespace VaeGpu.Runtime.Reparameterization;

/// <summary>
/// Forward as one launch per batch (a group per z row of at most 32 threads, a thread per latent element), backward
/// as one launch (a thread per latent element).
/// </summary>
sealed class IlgpuReparameterizationOperations : IReparameterizationOperations
{
    readonly IlgpuBackend backend;
    readonly Action<KernelConfig, ArrayView<float>, int, int, int, ulong, ulong, int, int, ArrayView<uint>, ArrayView<float>, ArrayView<float>, ArrayView<float>> forward;

    /// <summary>The group size ILGPU chose for the backward kernel (0 where it did not say), for the launch log.</summary>
    readonly int backwardGroupSize;

    /// <summary>Threads per z row: a warp covers the usual latent widths (20 in the canonical model) in one pass.</summary>
    readonly int rowGroupSize;
    readonly Action<Index1D, ArrayView<float>, int, ulong, ulong, ArrayView<float>, ArrayView<float>, ArrayView<float>, EncoderEstimatorScalars, ArrayView<float>> backward;

    public IlgpuReparameterizationOperations(IlgpuBackend backend)
    {
        this.backend = backend;
        forward = backend.Accelerator.LoadStreamKernel<ArrayView<float>, int, int, int, ulong, ulong, int, int, ArrayView<uint>, ArrayView<float>, ArrayView<float>, ArrayView<float>>(ReparameterizationKernels.Forward);
        rowGroupSize = Math.Min(32, backend.ReductionGroupSize);
        backward = backend.Accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, int, ulong, ulong, ArrayView<float>, ArrayView<float>, ArrayView<float>, EncoderEstimatorScalars, ArrayView<float>>(ReparameterizationKernels.Backward, out var backwardInfo);
        backwardGroupSize = IlgpuBackend.ChosenGroupSize(backwardInfo);
    }

    public void Forward(Tensor head, ulong seed, ulong stream, Tensor z, Tensor klPerRow, Tensor logDensityRatioPerRow, Sampler sampler = Sampler.Mc) =>
        Forward(head, seed, stream, z, klPerRow, logDensityRatioPerRow, sampler, 0, z.Rows / Math.Max(1, head.Rows));

    public void Forward(Tensor head, ulong seed, ulong stream, Tensor z, Tensor klPerRow, Tensor logDensityRatioPerRow, Sampler sampler, int firstDraw, int drawsPerImage)
    {
        var (latent, samplesPerImage) = ReparameterizationShapes.Forward(head, z, klPerRow, logDensityRatioPerRow, sampler, firstDraw, drawsPerImage);
        forward(new KernelConfig(z.Rows, rowGroupSize), backend.ViewOf(head), latent, samplesPerImage, (int)sampler, seed, stream, firstDraw, drawsPerImage, backend.SobolDirections, backend.ViewOf(z), backend.ViewOf(klPerRow), backend.ViewOf(logDensityRatioPerRow));
        backend.RecordLaunch((long)z.Rows * rowGroupSize, rowGroupSize);
    }

    public void Backward(Tensor head, ulong seed, ulong stream, Tensor dz, Tensor dHead, EncoderEstimatorScalars scalars,
        Tensor? nllPerRow = null, Tensor? baselineSumPerRow = null)
    {
        int latent = ReparameterizationShapes.Backward(head, dz, dHead, scalars, nllPerRow, baselineSumPerRow);
        // Views the estimator does not read are bound to dz, which is always there.
        backward(dz.Length, backend.ViewOf(head), latent, seed, stream, backend.ViewOf(dz), backend.ViewOf(nllPerRow ?? dz),
            backend.ViewOf(baselineSumPerRow ?? dz), scalars, backend.ViewOf(dHead));
        backend.RecordLaunch(dz.Length, backwardGroupSize, autoGrouped: true);
    }
}
