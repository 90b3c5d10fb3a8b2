using ILGPU;

namespace VaeGpu.Kernels;

/// <summary>
/// The Gamma and Dirichlet encoders' sampling step and gradient: a thread per z row (forward; the Dirichlet backward,
/// whose coordinates share a normaliser) or per latent element (the Gamma backward). Bodies: ImplicitPosteriorMath,
/// shared with the host loops. Reference: ImplicitPosteriorReference.
/// </summary>
public static class ImplicitPosteriorKernels
{
    [Kernel]
    public static void GammaForward(Index1D row, ArrayView<float> head, int latent, int samplesPerImage, ulong seed, ulong stream,
        ArrayView<float> z, ArrayView<float> klPerRow, ArrayView<float> logDensityRatioPerRow) =>
        ImplicitPosteriorMath.GammaForwardRow(row, new ViewStorage(head), latent, samplesPerImage, seed, stream,
            new ViewStorage(z), new ViewStorage(klPerRow), new ViewStorage(logDensityRatioPerRow));

    [Kernel]
    public static void GammaBackward(Index1D element, ArrayView<float> head, int latent, ulong seed, ulong stream, ArrayView<float> dz, float klWeight, ArrayView<float> dHead) =>
        ImplicitPosteriorMath.GammaBackwardElement(element, new ViewStorage(head), latent, seed, stream, new ViewStorage(dz), klWeight, new ViewStorage(dHead));

    [Kernel]
    public static void DirichletForward(Index1D row, ArrayView<float> head, int latent, int samplesPerImage, ulong seed, ulong stream,
        ArrayView<float> z, ArrayView<float> klPerRow, ArrayView<float> logDensityRatioPerRow) =>
        ImplicitPosteriorMath.DirichletForwardRow(row, new ViewStorage(head), latent, samplesPerImage, seed, stream,
            new ViewStorage(z), new ViewStorage(klPerRow), new ViewStorage(logDensityRatioPerRow));

    [Kernel]
    public static void DirichletBackward(Index1D row, ArrayView<float> head, int latent, ulong seed, ulong stream, ArrayView<float> z, ArrayView<float> dz,
        float klWeight, ArrayView<float> dHead) =>
        ImplicitPosteriorMath.DirichletBackwardRow(row, new ViewStorage(head), latent, seed, stream, new ViewStorage(z), new ViewStorage(dz), klWeight, new ViewStorage(dHead));
}
