using ILGPU;

namespace VaeGpu.Kernels;

/// <summary>
/// The ELBO's per-sample term for the linear-Gaussian model of ElboGapShape: one thread per sample s draws
/// eps_l = element (firstRow + s) k + l of the sampler's normals (ImageDraws with a replicate of rowsPerReplicate points
/// as its image: plain Monte Carlo reads FillNormal(seed, stream)), forms z = mean + L eps, and writes z and
/// log p(x|z) + log p(z) - log q(z) - centre. Its mean over samples estimates ELBO(q) - centre.
/// Formula: ElboGapMath (shared with the host backend). Reference: ElboGapReference.
/// </summary>
public static class ElboGapKernels
{
    [Kernel]
    public static void Terms(Index1D sample, ArrayView<float> parameters, ElboGapShape shape, int sampler, ulong seed, ulong stream,
        long firstRow, int rowsPerReplicate, ArrayView<uint> sobolDirections, ArrayView<float> z, ArrayView<float> terms)
    {
        var normals = new ImageDraws<ViewDirections>((Sampler)sampler, seed, stream, shape.Latent, rowsPerReplicate, new ViewDirections(sobolDirections));
        terms[sample] = ElboGapMath.Term(sample, firstRow * shape.Latent, new ViewStorage(parameters), shape, normals, new ViewStorage(z));
    }
}
