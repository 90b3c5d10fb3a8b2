using VaeGpu.Runtime.Host;
using VaeGpu.Runtime.Ilgpu;

namespace VaeGpu.Runtime.Experiments.ElboGap;

public static class ElboGapOperations
{
    /// <summary>The implementation for the backend's kind; the ILGPU one compiles its kernel now, once.</summary>
    public static IElboGapOperations For(IBackend backend) => backend switch
    {
        HostBackend host => new HostElboGapOperations(host),
        IlgpuBackend ilgpu => new IlgpuElboGapOperations(ilgpu),
        _ => throw new ArgumentException($"no ELBO-gap operations for {backend.Name}.", nameof(backend)),
    };
}
