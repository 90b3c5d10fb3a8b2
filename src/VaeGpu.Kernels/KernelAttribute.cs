namespace VaeGpu.Kernels;

/// <summary>How a kernel is launched: implicitly grouped (one thread per index) or explicitly grouped (uses Group/SharedMemory).</summary>
public enum KernelGrouping { Implicit, Explicit }

/// <summary>
/// Marks a kernel entry point. The runtime loads kernels by name, and the compile test finds every marked method
/// and compiles it to PTX and OpenCL C, so a new kernel cannot skip that check.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class KernelAttribute(KernelGrouping grouping = KernelGrouping.Implicit) : Attribute
{
    public KernelGrouping Grouping { get; } = grouping;
}
