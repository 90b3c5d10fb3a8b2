using System.Reflection;
using System.Text.RegularExpressions;
using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.OpenCL;
using ILGPU.Runtime;
using ILGPU.Runtime.OpenCL;
using VaeGpu.Kernels;

namespace VaeGpu.Runtime.Ilgpu;

/// <summary>
/// The opt-in that lets ILGPU run on an OpenCL device that reports no generic address space, such as Debian 12's
/// PoCL 3.1 (CPU device). ILGPU refuses such devices although none of VaeGpu's kernels needs the generic address
/// space; with VAEGPU_OPENCL_ASSUME_GENERIC=1 the device's capability is set by reflection (ILGPU keeps its setter
/// internal), and only after every [Kernel] has been compiled for the device and none of their OpenCL C contains
/// "generic". Unsupported by ILGPU and never applied silently: the backend's name says it.
/// </summary>
static partial class OpenClGenericOverride
{
    public const string Variable = "VAEGPU_OPENCL_ASSUME_GENERIC";

    /// <summary>The hint for a device that needs the opt-in.</summary>
    public const string Hint = Variable + "=1 lets VaeGpu try it anyway (see docs/devices.md)";

    /// <summary>Shown in the backend's name when the override is in force.</summary>
    public const string Marker = "(generic address space assumed: " + Variable + "=1)";

    public static bool RequestedByUser => Environment.GetEnvironmentVariable(Variable) == "1";

    public static bool Needed(CLDevice device) => !device.Capabilities.GenericAddressSpace;

    /// <summary>
    /// Sets the capability on the device (of this context) and checks every kernel's OpenCL C; returns why the override
    /// cannot be used, or null when the device may now be opened.
    /// </summary>
    public static string? Apply(Context context, CLDevice device)
    {
        typeof(CLCapabilityContext).GetProperty(nameof(CLCapabilityContext.GenericAddressSpace))!.SetValue(device.Capabilities, true);
        using var backend = new CLBackend(context, device.Capabilities, device.Vendor, device.CVersion);
        var sources = KernelMethods().Select(kernel =>
        {
            var entry = kernel.GetCustomAttribute<KernelAttribute>()!.Grouping == KernelGrouping.Explicit
                ? EntryPointDescription.FromExplicitlyGroupedKernel(kernel)
                : EntryPointDescription.FromImplicitlyGroupedKernel(kernel);
            return ($"{kernel.DeclaringType!.Name}.{kernel.Name}", ((CLCompiledKernel)backend.Compile(entry, KernelSpecialization.Empty)).Source);
        });
        return Refusal(sources);
    }

    /// <summary>Why the override cannot apply: the first kernel whose OpenCL C uses the generic address space; else null.</summary>
    public static string? Refusal(IEnumerable<(string Kernel, string Source)> kernels) =>
        kernels.FirstOrDefault(kernel => GenericWord().IsMatch(kernel.Source)) is ({ } name, _)
            ? $"kernel {name} uses the generic address space in its OpenCL C, so {Variable} cannot apply"
            : null;

    static IEnumerable<MethodInfo> KernelMethods() =>
        typeof(KernelAttribute).Assembly.GetTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Static))
            .Where(method => method.GetCustomAttribute<KernelAttribute>() is not null);

    [GeneratedRegex(@"\b(__)?generic\b")]
    private static partial Regex GenericWord();
}
