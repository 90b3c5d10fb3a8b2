using VaeGpu.Runtime.Devices;

namespace VaeGpu.Runtime.Likelihood;

public static class LikelihoodOperations
{
    /// <summary>The implementation for the backend's kind; the ILGPU one compiles its kernels now, once.</summary>
    public static ILikelihoodOperations For(IBackend backend) =>
        FamilyImplementation.For<ILikelihoodOperations>(backend, cpu => new HostLikelihoodOperations(cpu),
            ilgpu => new IlgpuLikelihoodOperations(ilgpu), "likelihood");
}
