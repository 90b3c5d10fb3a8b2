using ILGPU;
using ILGPU.Runtime;
using VaeGpu.Kernels;
using VaeGpu.Runtime.Ilgpu;

namespace VaeGpu.Runtime.Experiments.GaussianMixture;

/// <summary>The kernels on an IlgpuBackend's accelerator, compiled once here; one launch per operation.</summary>
sealed class IlgpuGaussianMixtureOperations : IGaussianMixtureOperations
{
    readonly IlgpuBackend backend;
    readonly Action<Index1D, ArrayView<float>, int, int, ArrayView<float>, ArrayView<float>, ArrayView<float>> responsibilities;
    readonly Action<Index2D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int, ArrayView<float>> scatterPartials;

    public IlgpuGaussianMixtureOperations(IlgpuBackend backend)
    {
        this.backend = backend;
        var accelerator = backend.Accelerator;
        responsibilities = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, int, int, ArrayView<float>, ArrayView<float>, ArrayView<float>>(
            GaussianMixtureKernels.Responsibilities);
        scatterPartials = accelerator.LoadAutoGroupedStreamKernel<Index2D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int, ArrayView<float>>(
            GaussianMixtureKernels.WeightedScatterPartials);
    }

    public void Responsibilities(Tensor points, Tensor parameters, Tensor responsibilities, Tensor logDensity)
    {
        int components = GaussianMixtureShapes.Responsibilities(points, parameters, responsibilities, logDensity);
        this.responsibilities(points.Rows, backend.ViewOf(points), points.Columns, components, backend.ViewOf(parameters),
            backend.ViewOf(responsibilities), backend.ViewOf(logDensity));
        backend.RecordLaunch();
    }

    public int ScatterPartialRows(int pointCount) => GaussianMixtureKernels.ScatterBlocks(pointCount);

    public void WeightedScatterPartials(Tensor points, Tensor responsibilities, Tensor parameters, Tensor partials)
    {
        int components = GaussianMixtureShapes.Scatter(points, responsibilities, parameters, partials);
        scatterPartials(new Index2D(partials.Columns, partials.Rows), backend.ViewOf(points), backend.ViewOf(responsibilities),
            backend.ViewOf(parameters), points.Rows, points.Columns, components, backend.ViewOf(partials));
        backend.RecordLaunch();
    }
}
