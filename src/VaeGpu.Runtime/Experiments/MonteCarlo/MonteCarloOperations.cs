using VaeGpu.Runtime.Host;
using VaeGpu.Runtime.Ilgpu;

namespace VaeGpu.Runtime.Experiments.MonteCarlo;

public static class MonteCarloOperations
{
    /// <summary>The implementation for the backend's kind; the ILGPU one compiles its kernel now, once.</summary>
    public static IMonteCarloOperations For(IBackend backend) => backend switch
    {
        HostBackend host => new HostMonteCarloOperations(host),
        IlgpuBackend ilgpu => new IlgpuMonteCarloOperations(ilgpu),
        _ => throw new ArgumentException($"no Monte Carlo operations for {backend.Name}.", nameof(backend)),
    };
}
