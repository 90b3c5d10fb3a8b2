using ILGPU;
using ILGPU.Runtime;
using VaeGpu.Kernels;
using VaeGpu.Runtime.Ilgpu;

namespace VaeGpu.Runtime.Likelihood;

/// <summary>Each likelihood as one launch, a group per row (the backend's reduction group size).</summary>
sealed class IlgpuLikelihoodOperations : ILikelihoodOperations
{
    readonly IlgpuBackend backend;
    readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, int, int, float, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>> bernoulli;
    readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, int, int, float, float, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>> gaussian;

    public IlgpuLikelihoodOperations(IlgpuBackend backend)
    {
        this.backend = backend;
        bernoulli = backend.Accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, int, int, float, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>>(LikelihoodKernels.Bernoulli);
        gaussian = backend.Accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, int, int, float, float, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>>(LikelihoodKernels.Gaussian);
    }

    public void Bernoulli(Tensor logits, Tensor x, float gradientScale, Tensor dLogits, Tensor nllPerRow, Tensor klPerRow, Tensor runningSums)
    {
        int samplesPerImage = LikelihoodShapes.Check(logits, x, dLogits, nllPerRow, klPerRow, runningSums);
        bernoulli(new KernelConfig(logits.Rows, backend.ReductionGroupSize), backend.ViewOf(logits), backend.ViewOf(x), logits.Columns, samplesPerImage, gradientScale, backend.ViewOf(dLogits),
            backend.ViewOf(nllPerRow), backend.ViewOf(klPerRow), backend.ViewOf(runningSums));
        backend.RecordLaunch((long)logits.Rows * backend.ReductionGroupSize, backend.ReductionGroupSize);
    }

    public void Gaussian(Tensor mean, Tensor x, float sigma, float gradientScale, Tensor dMean, Tensor nllPerRow, Tensor klPerRow, Tensor runningSums)
    {
        int samplesPerImage = LikelihoodShapes.Check(mean, x, dMean, nllPerRow, klPerRow, runningSums);
        gaussian(new KernelConfig(mean.Rows, backend.ReductionGroupSize), backend.ViewOf(mean), backend.ViewOf(x), mean.Columns, samplesPerImage, gradientScale, sigma, backend.ViewOf(dMean),
            backend.ViewOf(nllPerRow), backend.ViewOf(klPerRow), backend.ViewOf(runningSums));
        backend.RecordLaunch((long)mean.Rows * backend.ReductionGroupSize, backend.ReductionGroupSize);
    }
}
