using VaeGpu.Runtime.Devices;

namespace VaeGpu.Runtime.Reparameterization;

public static class ReparameterizationOperations
{
    /// <summary>The implementation for the backend's kind; the ILGPU one compiles its kernels now, once.</summary>
    public static IReparameterizationOperations For(IBackend backend) =>
        FamilyImplementation.For<IReparameterizationOperations>(backend, cpu => new HostReparameterizationOperations(cpu),
            ilgpu => new IlgpuReparameterizationOperations(ilgpu), "reparameterisation");
}
