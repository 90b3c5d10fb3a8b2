using ILGPU;
using ILGPU.Runtime;
using VaeGpu.Kernels;
using VaeGpu.Runtime.Ilgpu;

namespace VaeGpu.Runtime.Experiments.ElboGap;

/// <summary>The per-sample ELBO terms as one ElboGapKernels.Terms launch (one thread per sample) on the backend's accelerator.</summary>
sealed class IlgpuElboGapOperations : IElboGapOperations
{
    readonly IlgpuBackend backend;
    readonly Action<Index1D, ArrayView<float>, ElboGapShape, ulong, ulong, ArrayView<float>, ArrayView<float>> termsKernel;

    public IlgpuElboGapOperations(IlgpuBackend backend)
    {
        this.backend = backend;
        termsKernel = backend.Accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ElboGapShape, ulong, ulong, ArrayView<float>, ArrayView<float>>(ElboGapKernels.Terms);
    }

    public void Terms(Tensor parameters, ElboGapShape shape, ulong seed, ulong stream, Tensor z, Tensor terms)
    {
        ElboGapShapeCheck.Terms(parameters, shape, z, terms);
        termsKernel(terms.Rows, backend.ViewOf(parameters), shape, seed, stream, backend.ViewOf(z), backend.ViewOf(terms));
        backend.RecordLaunch();
    }
}
