using VaeGpu.Runtime.Devices;
namespace VaeGpu.Runtime.Experiments.MonteCarlo;

public static class MonteCarloOperations
{
    /// <summary>The implementation for the backend's kind; the ILGPU one compiles its kernel now, once.</summary>
    public static IMonteCarloOperations For(IBackend backend) =>
        FamilyImplementation.For<IMonteCarloOperations>(backend, host => new HostMonteCarloOperations(host), ilgpu => new IlgpuMonteCarloOperations(ilgpu), "Monte Carlo");
}
