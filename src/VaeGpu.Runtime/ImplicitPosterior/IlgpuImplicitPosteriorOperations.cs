using ILGPU;
using ILGPU.Runtime;
using VaeGpu.Kernels;
using VaeGpu.Runtime.Ilgpu;

namespace VaeGpu.Runtime.ImplicitPosterior;

/// <summary>Forward as one launch (a thread per z row); backward as one launch (a thread per element for Gamma, per row for Dirichlet).</summary>
sealed class IlgpuImplicitPosteriorOperations : IImplicitPosteriorOperations
{
    readonly IlgpuBackend backend;
    readonly Action<Index1D, ArrayView<float>, int, int, ulong, ulong, ArrayView<float>, ArrayView<float>, ArrayView<float>> gammaForward, dirichletForward;
    readonly Action<Index1D, ArrayView<float>, int, ulong, ulong, ArrayView<float>, float, ArrayView<float>> gammaBackward;
    readonly Action<Index1D, ArrayView<float>, int, ulong, ulong, ArrayView<float>, ArrayView<float>, float, ArrayView<float>> dirichletBackward;

    public IlgpuImplicitPosteriorOperations(IlgpuBackend backend)
    {
        this.backend = backend;
        var accelerator = backend.Accelerator;
        gammaForward = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, int, int, ulong, ulong, ArrayView<float>, ArrayView<float>, ArrayView<float>>(ImplicitPosteriorKernels.GammaForward);
        dirichletForward = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, int, int, ulong, ulong, ArrayView<float>, ArrayView<float>, ArrayView<float>>(ImplicitPosteriorKernels.DirichletForward);
        gammaBackward = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, int, ulong, ulong, ArrayView<float>, float, ArrayView<float>>(ImplicitPosteriorKernels.GammaBackward);
        dirichletBackward = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, int, ulong, ulong, ArrayView<float>, ArrayView<float>, float, ArrayView<float>>(ImplicitPosteriorKernels.DirichletBackward);
    }

    public void Forward(Posterior posterior, Tensor head, ulong seed, ulong stream, Tensor z, Tensor klPerRow, Tensor logDensityRatioPerRow)
    {
        var (latent, samplesPerImage) = ImplicitPosteriorOperations.Forward(posterior, head, z, klPerRow, logDensityRatioPerRow);
        var forward = posterior == Posterior.Gamma ? gammaForward : dirichletForward;
        forward(z.Rows, backend.ViewOf(head), latent, samplesPerImage, seed, stream, backend.ViewOf(z), backend.ViewOf(klPerRow), backend.ViewOf(logDensityRatioPerRow));
        backend.RecordLaunch();
    }

    public void Backward(Posterior posterior, Tensor head, ulong seed, ulong stream, Tensor z, Tensor dz, float klWeight, Tensor dHead)
    {
        int latent = ImplicitPosteriorOperations.Backward(posterior, head, z, dz, dHead);
        if (posterior == Posterior.Gamma) gammaBackward(dz.Length, backend.ViewOf(head), latent, seed, stream, backend.ViewOf(dz), klWeight, backend.ViewOf(dHead));
        else dirichletBackward(z.Rows, backend.ViewOf(head), latent, seed, stream, backend.ViewOf(z), backend.ViewOf(dz), klWeight, backend.ViewOf(dHead));
        backend.RecordLaunch();
    }
}
