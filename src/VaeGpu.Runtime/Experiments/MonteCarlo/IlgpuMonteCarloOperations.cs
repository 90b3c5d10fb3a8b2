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
    readonly Action<Index1D, ArrayView<float>, int, int, float, float, ulong, ulong, int, long, long, float> sampledKernel;
    readonly Action<Index1D, ArrayView<float>, int, int, float, float, float, float, ulong, ulong, long> importanceKernel;

    public IlgpuMonteCarloOperations(IlgpuBackend backend)
    {
        this.backend = backend;
        integrandKernel = backend.Accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, int, float, float, ulong, ulong>(MonteCarloKernels.Integrand);
        sampledKernel = backend.Accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, int, int, float, float, ulong, ulong, int, long, long, float>(MonteCarloKernels.SampledIntegrand);
        importanceKernel = backend.Accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, int, int, float, float, float, float, ulong, ulong, long>(MonteCarloKernels.ImportanceTerms);
    }

    public void Integrand(GaussianIntegrand integrand, float mu, float sigma, ulong seed, ulong stream, Tensor values)
    {
        integrandKernel(RandomKernels.BlockCount(values.Length), backend.ViewOf(values), (int)integrand, mu, sigma, seed, stream);
        backend.RecordLaunch();
    }

    public void SampledIntegrand(GaussianIntegrand integrand, Sampler sampler, float mu, float sigma, ulong seed, ulong stream,
        int replicate, long pointsPerReplicate, long firstPoint, float shift, Tensor values)
    {
        sampledKernel(values.Length, backend.ViewOf(values), (int)integrand, (int)sampler, mu, sigma, seed, stream, replicate, pointsPerReplicate, firstPoint, shift);
        backend.RecordLaunch();
    }

    public void ImportanceTerms(GaussianIntegrand integrand, float mu, float sigma, float proposalMu, float proposalSigma, ulong seed, ulong stream,
        long firstPoint, Tensor terms)
    {
        MonteCarloShapes.ImportanceTerms(terms);
        importanceKernel(terms.Columns, backend.ViewOf(terms), terms.Columns, (int)integrand, mu, sigma, proposalMu, proposalSigma, seed, stream, firstPoint);
        backend.RecordLaunch();
    }
}
