using VaeGpu.Runtime.Devices;
namespace VaeGpu.Runtime.Experiments.GaussianMixture;

public static class GaussianMixtureOperations
{
    /// <summary>The implementation for the backend's kind; the ILGPU one compiles its kernels now, once.</summary>
    public static IGaussianMixtureOperations For(IBackend backend) =>
        FamilyImplementation.For<IGaussianMixtureOperations>(backend, host => new HostGaussianMixtureOperations(host), ilgpu => new IlgpuGaussianMixtureOperations(ilgpu), "Gaussian mixture");
}
