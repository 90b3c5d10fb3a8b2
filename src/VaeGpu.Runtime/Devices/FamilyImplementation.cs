using VaeGpu.Runtime.HostPath;
using VaeGpu.Runtime.Ilgpu;

namespace VaeGpu.Runtime.Devices;

/// <summary>The one choice every family's factory makes: its CPU-backend implementation or its ILGPU one, by backend.</summary>
static class FamilyImplementation
{
    /// <param name="family">Named in the error for a backend of another kind.</param>
    public static T For<T>(IBackend backend, Func<HostBackend, T> onCpu, Func<IlgpuBackend, T> onIlgpu, string family) => backend switch
    {
        HostBackend cpu => onCpu(cpu),
        IlgpuBackend ilgpu => onIlgpu(ilgpu),
        _ => throw new ArgumentException($"no {family} operations for {backend.Name}.", nameof(backend)),
    };
}
