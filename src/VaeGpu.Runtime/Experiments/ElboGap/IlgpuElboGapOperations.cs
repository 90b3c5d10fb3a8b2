using ILGPU;
using ILGPU.Runtime;
using VaeGpu.Kernels;
using VaeGpu.Runtime.Ilgpu;

namespace VaeGpu.Runtime.Experiments.ElboGap;

/// <summary>The per-sample ELBO terms, plain or sampled, as one ElboGapKernels.Terms launch (one thread per sample) on the backend's accelerator.</summary>
sealed class IlgpuElboGapOperations : IElboGapOperations
{
    readonly IlgpuBackend backend;
    readonly Action<Index1D, ArrayView<float>, ElboGapShape, int, ulong, ulong, long, int, ArrayView<uint>, ArrayView<float>, ArrayView<float>> termsKernel;

    public IlgpuElboGapOperations(IlgpuBackend backend)
    {
        this.backend = backend;
        termsKernel = backend.Accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ElboGapShape, int, ulong, ulong, long, int, ArrayView<uint>, ArrayView<float>, ArrayView<float>>(ElboGapKernels.Terms);
    }

    public void Terms(Tensor parameters, ElboGapShape shape, ulong seed, ulong stream, Tensor z, Tensor terms) =>
        SampledTerms(parameters, shape, Sampler.Mc, seed, stream, 0, 1, z, terms);

    public void SampledTerms(Tensor parameters, ElboGapShape shape, Sampler sampler, ulong seed, ulong stream, long firstRow, int rowsPerReplicate, Tensor z, Tensor terms)
    {
        ElboGapShapeCheck.Terms(parameters, shape, z, terms);
        ElboGapShapeCheck.Draws(sampler, shape, firstRow, rowsPerReplicate);
        termsKernel(terms.Rows, backend.ViewOf(parameters), shape, (int)sampler, seed, stream, firstRow, rowsPerReplicate, backend.SobolDirections,
            backend.ViewOf(z), backend.ViewOf(terms));
        backend.RecordLaunch();
    }
}
