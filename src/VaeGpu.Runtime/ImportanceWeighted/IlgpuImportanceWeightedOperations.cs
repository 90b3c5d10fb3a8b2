using ILGPU;
using ILGPU.Runtime;
using VaeGpu.Kernels;
using VaeGpu.Runtime.Ilgpu;

namespace VaeGpu.Runtime.ImportanceWeighted;

/// <summary>Each operation as one launch: a thread per image, per element, and per latent element of an image.</summary>
sealed class IlgpuImportanceWeightedOperations : IImportanceWeightedOperations
{
    readonly IlgpuBackend backend;
    readonly Action<Index1D, int, ArrayView<float>, ArrayView<float>, ArrayView<float>, float, ArrayView<float>, ArrayView<float>, ArrayView<float>> weigh;
    readonly Action<Index1D, int, ArrayView<float>, ArrayView<float>> scaleRows;
    readonly Action<Index1D, ArrayView<float>, int, int, int, ulong, ulong, ArrayView<uint>, ArrayView<float>, ArrayView<float>, GradientEstimator, ArrayView<float>> encoderBackward;

    public IlgpuImportanceWeightedOperations(IlgpuBackend backend)
    {
        this.backend = backend;
        weigh = backend.Accelerator.LoadAutoGroupedStreamKernel<Index1D, int, ArrayView<float>, ArrayView<float>, ArrayView<float>, float, ArrayView<float>, ArrayView<float>, ArrayView<float>>(ImportanceWeightedKernels.Weigh);
        scaleRows = backend.Accelerator.LoadAutoGroupedStreamKernel<Index1D, int, ArrayView<float>, ArrayView<float>>(ImportanceWeightedKernels.ScaleRows);
        encoderBackward = backend.Accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, int, int, int, ulong, ulong, ArrayView<uint>, ArrayView<float>, ArrayView<float>, GradientEstimator, ArrayView<float>>(ImportanceWeightedKernels.EncoderBackward);
    }

    public void Weigh(Tensor nllPerRow, Tensor logDensityRatioPerRow, Tensor klPerRow, float gradientScale, Tensor rowScale, Tensor boundPerImage, Tensor runningSums)
    {
        int samples = ImportanceWeightedShapes.Weigh(nllPerRow, logDensityRatioPerRow, klPerRow, rowScale, boundPerImage, runningSums);
        weigh(boundPerImage.Rows, samples, backend.ViewOf(nllPerRow), backend.ViewOf(logDensityRatioPerRow), backend.ViewOf(klPerRow), gradientScale,
            backend.ViewOf(rowScale), backend.ViewOf(boundPerImage), backend.ViewOf(runningSums));
        backend.RecordLaunch();
    }

    public void ScaleRows(Tensor values, Tensor rowScale)
    {
        ImportanceWeightedShapes.ScaleRows(values, rowScale);
        scaleRows(values.Length, values.Columns, backend.ViewOf(rowScale), backend.ViewOf(values));
        backend.RecordLaunch();
    }

    public void EncoderBackward(Tensor head, ulong seed, ulong stream, Tensor dz, Tensor rowScale, GradientEstimator estimator, Tensor dHead, Sampler sampler = Sampler.Mc)
    {
        var (latent, samples) = ImportanceWeightedShapes.EncoderBackward(head, dz, rowScale, estimator, dHead, sampler);
        encoderBackward(head.Rows * latent, backend.ViewOf(head), latent, samples, (int)sampler, seed, stream, backend.SobolDirections, backend.ViewOf(dz), backend.ViewOf(rowScale), estimator, backend.ViewOf(dHead));
        backend.RecordLaunch();
    }
}
