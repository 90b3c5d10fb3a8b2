using ILGPU;
using ILGPU.Runtime;
using VaeGpu.Kernels;
using VaeGpu.Runtime.Ilgpu;

namespace VaeGpu.Runtime.ImplicitDraws;

/// <summary>Each operation as one ImplicitDrawKernels launch: a thread per draw, a thread per row for Dirichlet.</summary>
sealed class IlgpuImplicitDrawOperations : IImplicitDrawOperations
{
    readonly IlgpuBackend backend;
    readonly Action<Index1D, ArrayView<float>, ulong, ulong, long, ArrayView<float>, ArrayView<float>> gamma, vonMises;
    readonly Action<Index1D, ArrayView<float>, int, ulong, ulong, long, ArrayView<float>, ArrayView<float>> dirichlet;

    public IlgpuImplicitDrawOperations(IlgpuBackend backend)
    {
        this.backend = backend;
        var accelerator = backend.Accelerator;
        gamma = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ulong, ulong, long, ArrayView<float>, ArrayView<float>>(ImplicitDrawKernels.Gamma);
        vonMises = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ulong, ulong, long, ArrayView<float>, ArrayView<float>>(ImplicitDrawKernels.VonMises);
        dirichlet = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, int, ulong, ulong, long, ArrayView<float>, ArrayView<float>>(ImplicitDrawKernels.Dirichlet);
    }

    public void Gamma(Tensor alpha, ulong seed, ulong stream, long first, Tensor logZ, Tensor logDerivative)
    {
        ImplicitDrawOperations.Check(alpha, first, logZ, logDerivative);
        gamma(alpha.Length, backend.ViewOf(alpha), seed, stream, first, backend.ViewOf(logZ), backend.ViewOf(logDerivative));
        backend.RecordLaunch();
    }

    public void Dirichlet(Tensor alpha, ulong seed, ulong stream, long firstRow, Tensor logZ, Tensor logGammaDerivative)
    {
        ImplicitDrawOperations.Check(alpha, firstRow * alpha.Columns, logZ, logGammaDerivative);
        dirichlet(alpha.Rows, backend.ViewOf(alpha), alpha.Columns, seed, stream, firstRow, backend.ViewOf(logZ), backend.ViewOf(logGammaDerivative));
        backend.RecordLaunch();
    }

    public void VonMises(Tensor kappa, ulong seed, ulong stream, long first, Tensor theta, Tensor derivative)
    {
        ImplicitDrawOperations.Check(kappa, first, theta, derivative);
        vonMises(kappa.Length, backend.ViewOf(kappa), seed, stream, first, backend.ViewOf(theta), backend.ViewOf(derivative));
        backend.RecordLaunch();
    }
}
