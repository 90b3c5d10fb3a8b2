using VaeGpu.Runtime.Host;
using VaeGpu.Runtime.Ilgpu;

namespace VaeGpu.Runtime.Experiments.GaussianMixture;

public static class GaussianMixtureOperations
{
    /// <summary>The implementation for the backend's kind; the ILGPU one compiles its kernels now, once.</summary>
    public static IGaussianMixtureOperations For(IBackend backend) => backend switch
    {
        HostBackend host => new HostGaussianMixtureOperations(host),
        IlgpuBackend ilgpu => new IlgpuGaussianMixtureOperations(ilgpu),
        _ => throw new ArgumentException($"no Gaussian mixture operations for backend {backend.Name}.", nameof(backend)),
    };
}
