using VaeGpu.Kernels;
using VaeGpu.Runtime.HostPath;

namespace VaeGpu.Runtime.ImplicitPosterior;

/// <summary>ImplicitPosteriorMath's row and element bodies, the kernels' own, over the host backend's team.</summary>
sealed class HostImplicitPosteriorOperations(HostBackend backend) : IImplicitPosteriorOperations
{
    const int RowsPerSlice = 16;

    public void Forward(Posterior posterior, Tensor head, ulong seed, ulong stream, Tensor z, Tensor klPerRow, Tensor logDensityRatioPerRow)
    {
        var (latent, samplesPerImage) = ImplicitPosteriorOperations.Forward(posterior, head, z, klPerRow, logDensityRatioPerRow);
        ArrayStorage h = backend.Storage(head), draws = backend.Storage(z), kl = backend.Storage(klPerRow), logRatio = backend.Storage(logDensityRatioPerRow);
        ForRows(z.Rows, row =>
        {
            if (posterior == Posterior.Gamma) ImplicitPosteriorMath.GammaForwardRow(row, h, latent, samplesPerImage, seed, stream, draws, kl, logRatio);
            else ImplicitPosteriorMath.DirichletForwardRow(row, h, latent, samplesPerImage, seed, stream, draws, kl, logRatio);
        });
    }

    public void Backward(Posterior posterior, Tensor head, ulong seed, ulong stream, Tensor z, Tensor dz, float klWeight, Tensor dHead)
    {
        int latent = ImplicitPosteriorOperations.Backward(posterior, head, z, dz, dHead);
        ArrayStorage h = backend.Storage(head), draws = backend.Storage(z), upstream = backend.Storage(dz), result = backend.Storage(dHead);
        ForRows(z.Rows, row =>
        {
            if (posterior == Posterior.Dirichlet)
            {
                ImplicitPosteriorMath.DirichletBackwardRow(row, h, latent, seed, stream, draws, upstream, klWeight, result);
                return;
            }
            for (int j = 0; j < latent; j++) ImplicitPosteriorMath.GammaBackwardElement(row * latent + j, h, latent, seed, stream, upstream, klWeight, result);
        });
    }

    void ForRows(int rows, Action<int> body) =>
        backend.Team.For((rows + RowsPerSlice - 1) / RowsPerSlice, slice =>
        {
            for (int row = slice * RowsPerSlice; row < Math.Min(rows, (slice + 1) * RowsPerSlice); row++) body(row);
        });
}
