using System.Runtime.InteropServices;

namespace VaeGpu.Runtime.Ilgpu;

/// <summary>What the search for the CUDA driver library found; Path is null when none loaded.</summary>
sealed record CudaDriverStatus(string? Path, string? Version, IReadOnlyList<string> LookedFor, string? Problem)
{
    /// <summary>One line for `vaegpu devices` and for the reason `--device auto` passed over CUDA.</summary>
    public string Describe(int deviceCount) => Path is null
        ? $"no CUDA driver: looked for {string.Join(", ", LookedFor)}{(Problem is null ? "" : $" ({Problem})")}"
        : deviceCount == 0
            ? $"driver {Version ?? "of unknown version"} loaded from {Path}, no CUDA device"
            : $"driver {Version ?? "of unknown version"} loaded from {Path}, {deviceCount} device{(deviceCount == 1 ? "" : "s")}";
}

/// <summary>
/// Finds the CUDA driver for ILGPU. ILGPU's bindings import the library name "cuda", for which .NET probes only
/// libcuda.so; many driver installs and containers have only libcuda.so.1 (the unversioned link comes with the
/// driver's -dev files), and there ILGPU would find no CUDA device at all. So on Linux the import of "cuda" is
/// resolved here: libcuda.so, then libcuda.so.1, through the loader's own search path and then the usual driver
/// folders. On other systems nothing changes (Windows loads nvcuda.dll).
/// </summary>
static unsafe class CudaDriver
{
    /// <summary>The library names tried, in order, by the loader and in each of <see cref="Folders"/>.</summary>
    public static readonly string[] Names = ["libcuda.so", "libcuda.so.1"];

    /// <summary>Where drivers live when the loader's path does not cover them: Debian/Ubuntu, RHEL, containers, WSL.</summary>
    public static readonly string[] Folders =
        ["/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/local/nvidia/lib64", "/usr/lib/wsl/lib", "/usr/local/cuda/compat"];

    static readonly Lazy<(CudaDriverStatus Status, IntPtr Handle)> found = new(() => Find(Names, Folders));
    static int registered;

    /// <summary>What was found on this machine (searched once).</summary>
    public static CudaDriverStatus Status => OperatingSystem.IsLinux()
        ? found.Value.Status
        : new CudaDriverStatus("nvcuda (the system's)", null, ["nvcuda"], null);

    /// <summary>Makes ILGPU's "cuda" import use the library found here; call before ILGPU touches CUDA. Idempotent.</summary>
    internal static void Register()
    {
        if (!OperatingSystem.IsLinux() || Interlocked.Exchange(ref registered, 1) == 1) return;
        NativeLibrary.SetDllImportResolver(typeof(ILGPU.Context).Assembly, (name, _, _) =>
            name == "cuda" ? found.Value.Handle : IntPtr.Zero);
    }

    /// <summary>
    /// The first of the names that loads, bare (the loader's path) and then in each folder, and the driver version it
    /// reports. A library that loads but has no cuDriverGetVersion is not a driver: it is closed and the search goes on.
    /// </summary>
    public static (CudaDriverStatus Status, IntPtr Handle) Find(IReadOnlyList<string> names, IReadOnlyList<string> folders)
    {
        string? problem = null;
        var candidates = names.Concat(folders.SelectMany(folder => names.Select(name => System.IO.Path.Combine(folder, name))));
        foreach (var candidate in candidates)
        {
            if (!NativeLibrary.TryLoad(candidate, out var handle)) continue;
            if (!NativeLibrary.TryGetExport(handle, "cuDriverGetVersion", out var export))
            {
                NativeLibrary.Free(handle);
                problem = $"{candidate} loaded but is not a CUDA driver (no cuDriverGetVersion)";
                continue;
            }
            int value = 0;
            var getVersion = (delegate* unmanaged<int*, int>)export;
            string? version = getVersion(&value) == 0 ? $"{value / 1000}.{value % 1000 / 10}" : null;
            return (new CudaDriverStatus(candidate, version, names, null), handle);
        }
        return (new CudaDriverStatus(null, null, names, problem), IntPtr.Zero);
    }
}
