using ILGPU;

namespace VaeGpu.Kernels;

/// <summary>
/// The ELBO's per-sample term for the linear-Gaussian model of ElboGapShape: one thread per sample s draws
/// eps_l = element s k + l of FillNormal(seed, stream), forms z = mean + L eps, and writes z and
/// log p(x|z) + log p(z) - log q(z) - centre. Its mean over samples estimates ELBO(q) - centre.
/// Formula: ElboGapMath (shared with the CPU backend). Reference: ElboGapReference.
/// </summary>
public static class ElboGapKernels
{
    [Kernel]
    public static void Terms(Index1D sample, ArrayView<float> parameters, ElboGapShape shape, ulong seed, ulong stream,
        ArrayView<float> z, ArrayView<float> terms)
    {
        terms[sample] = ElboGapMath.Term(sample, new ViewStorage(parameters), shape, seed, stream, new ViewStorage(z));
    }
}
