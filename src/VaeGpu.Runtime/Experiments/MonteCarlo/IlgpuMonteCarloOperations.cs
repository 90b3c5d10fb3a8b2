using ILGPU;
using ILGPU.Runtime;
using VaeGpu.Kernels;
using VaeGpu.Runtime.Ilgpu;

namespace VaeGpu.Runtime.Experiments.MonteCarlo;

/// <summary>The integrand as one MonteCarloKernels.Integrand launch (one thread per Philox block) on the backend's accelerator.</summary>
sealed class IlgpuMonteCarloOperations : IMonteCarloOperations
{
    readonly IlgpuBackend backend;
    readonly Action<Index1D, ArrayView<float>, int, float, float, ulong, ulong> integrandKernel;

    public IlgpuMonteCarloOperations(IlgpuBackend backend)
    {
        this.backend = backend;
        integrandKernel = backend.Accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, int, float, float, ulong, ulong>(MonteCarloKernels.Integrand);
    }

    public void Integrand(GaussianIntegrand integrand, float mu, float sigma, ulong seed, ulong stream, Tensor values)
    {
        integrandKernel(RandomKernels.BlockCount(values.Length), backend.ViewOf(values), (int)integrand, mu, sigma, seed, stream);
        backend.RecordLaunch();
    }
}
