using VaeGpu.Runtime.Host;
using VaeGpu.Runtime.Ilgpu;

namespace VaeGpu.Runtime.Experiments;

/// <summary>The one choice every experiment's factory makes: its host implementation or its ILGPU one, by backend.</summary>
public static class ExperimentOperations
{
    /// <param name="experiment">Named in the error for a backend of another kind.</param>
    public static T For<T>(IBackend backend, Func<HostBackend, T> onHost, Func<IlgpuBackend, T> onIlgpu, string experiment) => backend switch
    {
        HostBackend host => onHost(host),
        IlgpuBackend ilgpu => onIlgpu(ilgpu),
        _ => throw new ArgumentException($"no {experiment} operations for {backend.Name}.", nameof(backend)),
    };
}
