using VaeGpu.Kernels;
using VaeGpu.Runtime.Devices;

namespace VaeGpu.Runtime.ImplicitPosterior;

public static class ImplicitPosteriorOperations
{
    /// <summary>The implementation for the backend's kind; the ILGPU one compiles its kernels now, once.</summary>
    public static IImplicitPosteriorOperations For(IBackend backend) =>
        FamilyImplementation.For<IImplicitPosteriorOperations>(backend, host => new HostImplicitPosteriorOperations(host),
            ilgpu => new IlgpuImplicitPosteriorOperations(ilgpu), "implicit posterior");

    /// <summary>The latent width, and the draws per head row, after checking every shape.</summary>
    internal static (int Latent, int SamplesPerImage) Forward(Posterior posterior, Tensor head, Tensor z, Tensor klPerRow, Tensor logDensityRatioPerRow)
    {
        int latent = Latent(posterior, head);
        if (z.Columns != latent || head.Rows == 0 || z.Rows % head.Rows != 0)
            throw new ArgumentException($"z {z.Rows}x{z.Columns} does not hold whole draws of a {head.Rows}x{head.Columns} {posterior} head.");
        if (klPerRow.Rows != z.Rows || klPerRow.Columns != 1 || logDensityRatioPerRow.Rows != z.Rows || logDensityRatioPerRow.Columns != 1)
            throw new ArgumentException($"the per-row KL and log-ratio must be {z.Rows}x1.");
        return (latent, z.Rows / head.Rows);
    }

    internal static int Backward(Posterior posterior, Tensor head, Tensor z, Tensor dz, Tensor dHead)
    {
        int latent = Latent(posterior, head);
        if (z.Rows != head.Rows || z.Columns != latent || dz.Rows != z.Rows || dz.Columns != latent || dHead.Rows != head.Rows || dHead.Columns != head.Columns)
            throw new ArgumentException($"the backward step takes one draw per head row: head {head.Rows}x{head.Columns}, z {z.Rows}x{z.Columns}, dz {dz.Rows}x{dz.Columns}, dHead {dHead.Rows}x{dHead.Columns}.");
        return latent;
    }

    static int Latent(Posterior posterior, Tensor head)
    {
        if (posterior is not (Posterior.Gamma or Posterior.Dirichlet))
            throw new ArgumentOutOfRangeException(nameof(posterior), posterior, "the implicit posterior operations draw Gamma and Dirichlet latents.");
        int columns = ImplicitPosteriorMath.HeadColumns(posterior);
        if (head.Columns % columns != 0) throw new ArgumentException($"a {posterior} head has {columns} columns per latent dimension, not {head.Columns} in all.");
        return head.Columns / columns;
    }
}
