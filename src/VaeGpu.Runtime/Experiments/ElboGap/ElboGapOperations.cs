using VaeGpu.Runtime.Devices;
namespace VaeGpu.Runtime.Experiments.ElboGap;

public static class ElboGapOperations
{
    /// <summary>The implementation for the backend's kind; the ILGPU one compiles its kernel now, once.</summary>
    public static IElboGapOperations For(IBackend backend) =>
        FamilyImplementation.For<IElboGapOperations>(backend, host => new HostElboGapOperations(host), ilgpu => new IlgpuElboGapOperations(ilgpu), "ELBO-gap");
}
