using System.Runtime.InteropServices;

namespace VaeGpu.Runtime.Ilgpu;

/// <summary>
/// Where a cuBLAS library was found, or why none was. Path is a full path, or a bare file name when the loader's own
/// search path found it; Reason is one line for `vaegpu devices` and for the --gemm decision, e.g.
/// "libcublas.so.13 in /usr/local/cuda/lib64" or "no libcublas.so.13/.12/.11 on the loader path or in ...".
/// </summary>
sealed record CuBlasLocation(string? Path, string Reason)
{
    public bool Found => Path is not null;

    /// <summary>The library's major version, read from its file name (libcublas.so.13 -> 13); null when none was found.</summary>
    public int? Major => Path is not null && int.TryParse(System.IO.Path.GetFileName(Path).Split(".so.").LastOrDefault(), out int major) ? major : null;
}

/// <summary>A cuBLAS library loaded into the process, or why the one found does not load (Handle zero, Problem set).</summary>
sealed record CuBlasLoad(CuBlasLocation Location, IntPtr Handle, string? Problem)
{
    public bool Loaded => Handle != IntPtr.Zero;
}

/// <summary>
/// Finds and loads cuBLAS for ILGPU.Algorithms' <c>ILGPU.Runtime.Cuda.CuBlas</c>.
/// <para>
/// How ILGPU.Algorithms 1.5.3 loads cuBLAS (from its sources, CuBlasNativeMethods.tt, and its assembly's metadata):
/// the imports are declared in ILGPU.Algorithms itself, in the classes CuBlasAPI_Linux_V10/_V11/_V12 (namespace
/// ILGPU.Runtime.Cuda.API), with the library names "libcublas.so.10", "libcublas.so.11" and "libcublas.so.12"
/// (cublas64_1x.dll on Windows, libcublas.1x.dylib on macOS). <c>new CuBlas(accelerator)</c> tries V12, V11, V10
/// in turn and throws DllNotFoundException when none loads; <c>new CuBlas(accelerator, CuBlasAPIVersion.V12)</c>
/// uses only the V12 class. Nothing in ILGPU registers a DllImportResolver on the ILGPU.Algorithms assembly (ILGPU's
/// own WSL resolver, and this project's CudaDriver, are on the ILGPU assembly), so the resolver registered here is
/// the only one; a process may register one per assembly, so a later need (cuRAND, cuFFT) must extend this one.
/// </para>
/// <para>
/// The resolver maps ILGPU's "libcublas.so.1x" names to the library found here, so CUDA 13's libcublas.so.13 (which
/// ILGPU does not know) serves the V12 bindings: every entry point the product uses (cublasCreate_v2,
/// cublasGetVersion_v2, cublasSetStream_v2, cublasSetPointerMode_v2, cublasSetMathMode, cublasSgemm_v2,
/// cublasDestroy_v2) has the same signature in cuBLAS 11, 12 and 13.
/// </para>
/// Search order: each location in turn, and in each the names libcublas.so.13, .12, .11 (newest first). Locations:
/// the loader's own search path (LD_LIBRARY_PATH, ld.so.cache: what the user or the system configured), then
/// $CUDA_HOME and $CUDA_PATH, /usr/local/cuda and /usr/local/cuda-* (newest first), then Python environments'
/// nvidia/cu13/lib (CUDA 13 wheels) and nvidia/cublas/lib (CUDA 11/12 wheels): $VIRTUAL_ENV, $CONDA_PREFIX, the
/// prefixes of the python3 executables on PATH, ~/.local, /usr/local, /usr, /opt/conda; and conda's own lib folders.
/// Finding is separate from loading, and every root is injectable, so tests search a temporary tree of fake files.
/// </summary>
static class CuBlasLibrary
{
    /// <summary>The names looked for, in order of preference.</summary>
    public static readonly string[] Names = ["libcublas.so.13", "libcublas.so.12", "libcublas.so.11"];

    /// <summary>The library names ILGPU.Algorithms 1.5.3 imports cuBLAS by on Linux; the resolver maps them to the library found.</summary>
    public static readonly string[] IlgpuImportNames = ["libcublas.so.12", "libcublas.so.11", "libcublas.so.10"];

    /// <summary>An export every cuBLAS since 4.0 has; a library without it is not cuBLAS.</summary>
    const string CreateExport = "cublasCreate_v2";

    static readonly Lazy<CuBlasLocation> located = new(() => Find(Names, Folders("/", Environment.GetEnvironmentVariable), OnLoaderPath));
    static readonly Lazy<CuBlasLoad> loaded = new(() => Load(located.Value));
    static readonly Lock registration = new();
    static bool registered;

    /// <summary>What the search found on this machine (searched once per process; loads nothing but a loader-path hit).</summary>
    public static CuBlasLocation Located => OperatingSystem.IsLinux()
        ? located.Value
        : new CuBlasLocation(null, "cuBLAS is looked for on Linux only");

    /// <summary>The library found, loaded (once per process), or why it did not load.</summary>
    public static CuBlasLoad Loaded => OperatingSystem.IsLinux() ? loaded.Value : new CuBlasLoad(Located, IntPtr.Zero, Located.Reason);

    /// <summary>The cublas line of `vaegpu devices`: which library loads, or why none does and where the search looked.</summary>
    public static string Describe() => Describe(Loaded);

    /// <summary>As Describe, for a given load result (tests).</summary>
    public static string Describe(CuBlasLoad load) => load.Loaded ? load.Location.Reason : load.Problem ?? load.Location.Reason;

    /// <summary>
    /// Loads the library found and makes ILGPU.Algorithms' cuBLAS imports resolve to it; null on success, else one
    /// line saying why cuBLAS cannot be used. Idempotent; call before constructing ILGPU's CuBlas.
    /// </summary>
    public static string? Register()
    {
        if (!OperatingSystem.IsLinux()) return "cuBLAS through this resolver is wired for Linux only";
        var load = Loaded;
        if (!load.Loaded) return Describe(load);
        lock (registration)
        {
            if (registered) return null;
            try
            {
                NativeLibrary.SetDllImportResolver(typeof(ILGPU.Runtime.Cuda.CuBlas).Assembly, (name, _, _) =>
                    IlgpuImportNames.Contains(name) ? load.Handle : IntPtr.Zero);
            }
            catch (InvalidOperationException)
            {
                return "another DllImportResolver is already registered for ILGPU.Algorithms; cuBLAS is resolved only through CuBlasLibrary's";
            }
            registered = true;
            return null;
        }
    }

    /// <summary>
    /// The first name that the loader finds by itself, else the first (folder, name) pair, folder by folder, whose
    /// file exists. <paramref name="onLoaderPath"/> is asked for bare names only (production: NativeLibrary.TryLoad).
    /// </summary>
    public static CuBlasLocation Find(IReadOnlyList<string> names, IReadOnlyList<string> folders, Func<string, bool> onLoaderPath)
    {
        foreach (var name in names)
            if (onLoaderPath(name)) return new CuBlasLocation(name, $"{name} on the loader path");
        foreach (var folder in folders)
            foreach (var name in names)
            {
                string candidate = System.IO.Path.Combine(folder, name);
                if (File.Exists(candidate)) return new CuBlasLocation(candidate, $"{name} in {folder}");
            }
        string looked = string.Join("/", names.Select((name, i) => i == 0 ? name : name[name.LastIndexOf(".so", StringComparison.Ordinal)..][3..]));
        return new CuBlasLocation(null, folders.Count == 0
            ? $"no {looked} on the loader path, and no CUDA toolkit or Python nvidia/cublas folder ($CUDA_HOME, $CUDA_PATH, /usr/local/cuda*, site-packages)"
            : $"no {looked} on the loader path or in {string.Join(", ", folders)}");
    }

    /// <summary>
    /// The folders to search, in order, that exist under <paramref name="root"/> ("/" in production; a temporary
    /// folder in tests). Environment variables are read through <paramref name="environment"/> and used as given
    /// (absolute paths), not re-rooted.
    /// </summary>
    public static IReadOnlyList<string> Folders(string root, Func<string, string?> environment)
    {
        string Rooted(string absolute) => System.IO.Path.Combine(root, absolute.TrimStart('/'));
        string[] toolkitLibs = ["lib64", "targets/x86_64-linux/lib", "lib"];
        var folders = new List<string>();
        void AddToolkit(string toolkit) => folders.AddRange(toolkitLibs.Select(lib => System.IO.Path.Combine(toolkit, lib)));

        foreach (var variable in new[] { "CUDA_HOME", "CUDA_PATH" })
            if (environment(variable) is { Length: > 0 } toolkit) AddToolkit(toolkit);
        AddToolkit(Rooted("/usr/local/cuda"));
        foreach (var toolkit in NewestFirst(Rooted("/usr/local"), "cuda-")) AddToolkit(toolkit);

        // Python environments: where pip puts NVIDIA's wheels (nvidia/cu13/lib for CUDA 13, nvidia/cublas/lib before).
        var prefixes = new List<string>();
        foreach (var variable in new[] { "VIRTUAL_ENV", "CONDA_PREFIX" })
            if (environment(variable) is { Length: > 0 } prefix) prefixes.Add(prefix);
        foreach (var bin in (environment("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
            if (System.IO.Path.GetFileName(bin.TrimEnd('/')) == "bin" && File.Exists(System.IO.Path.Combine(bin, "python3")))
                prefixes.Add(System.IO.Path.GetDirectoryName(bin.TrimEnd('/'))!);
        if (environment("HOME") is { Length: > 0 } home) prefixes.Add(System.IO.Path.Combine(home, ".local"));
        prefixes.AddRange([Rooted("/usr/local"), Rooted("/usr"), Rooted("/opt/conda")]);
        foreach (var prefix in prefixes)
            foreach (var python in NewestFirst(System.IO.Path.Combine(prefix, "lib"), "python3"))
                foreach (var packages in new[] { "site-packages", "dist-packages" })
                    foreach (var wheel in new[] { "nvidia/cu13/lib", "nvidia/cublas/lib" })
                        folders.Add(System.IO.Path.Combine(python, packages, wheel));
        // conda's cuda-libraries packages put libcublas.so.N in the environment's own lib folder.
        if (environment("CONDA_PREFIX") is { Length: > 0 } conda) folders.Add(System.IO.Path.Combine(conda, "lib"));
        folders.Add(Rooted("/opt/conda/lib"));

        return folders.Select(folder => System.IO.Path.TrimEndingDirectorySeparator(folder))
            .Distinct(StringComparer.Ordinal).Where(Directory.Exists).ToList();
    }

    /// <summary>
    /// The folders in <paramref name="parent"/> whose names start with <paramref name="prefix"/>, the highest version
    /// first (cuda-13.0 before cuda-12.4 before cuda-9.2; python3.12 before python3.9 before python3), then any whose
    /// suffix is no version, by name.
    /// </summary>
    static IEnumerable<string> NewestFirst(string parent, string prefix)
    {
        if (!Directory.Exists(parent)) return [];
        return Directory.EnumerateDirectories(parent, prefix + "*")
            .Select(path => (Path: path, Version: VersionKey(System.IO.Path.GetFileName(path)[prefix.Length..])))
            .OrderByDescending(entry => entry.Version is not null)
            .ThenByDescending(entry => entry.Version?.Major).ThenByDescending(entry => entry.Version?.Minor).ThenByDescending(entry => entry.Version?.Patch)
            .ThenBy(entry => entry.Path, StringComparer.Ordinal)
            .Select(entry => entry.Path);
    }

    /// <summary>"13.0" -> (13, 0, -1); ".12" -> (12, -1, -1); "" -> (-1, -1, -1) (python3 itself); null when not numeric.</summary>
    static (int Major, int Minor, int Patch)? VersionKey(string suffix)
    {
        var parts = suffix.Trim('.').Split('.', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length > 3) return null;
        var numbers = new[] { -1, -1, -1 };
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], System.Globalization.NumberStyles.None, null, out numbers[i])) return null;
        return (numbers[0], numbers[1], numbers[2]);
    }

    /// <summary>Whether the loader finds the bare name by itself; the handle is kept (Load opens the same library again).</summary>
    static bool OnLoaderPath(string name) => NativeLibrary.TryLoad(name, out _);

    /// <summary>
    /// Loads the library found, first loading libcublasLt.so.N from the same folder (libcublas.so.N needs it, and a
    /// toolkit folder is not always on the loader path), and checks that it is cuBLAS.
    /// </summary>
    public static CuBlasLoad Load(CuBlasLocation location)
    {
        if (location.Path is not { } path) return new CuBlasLoad(location, IntPtr.Zero, location.Reason);
        if (System.IO.Path.IsPathRooted(path) && location.Major is { } major)
        {
            string lt = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(path)!, $"libcublasLt.so.{major}");
            if (File.Exists(lt)) NativeLibrary.TryLoad(lt, out _);
        }
        IntPtr handle;
        try
        {
            handle = NativeLibrary.Load(path);
        }
        catch (Exception error) when (error is DllNotFoundException or BadImageFormatException)
        {
            return new CuBlasLoad(location, IntPtr.Zero, $"{location.Reason} does not load: {FirstLine(error.Message)}");
        }
        if (!NativeLibrary.TryGetExport(handle, CreateExport, out _))
        {
            NativeLibrary.Free(handle);
            return new CuBlasLoad(location, IntPtr.Zero, $"{location.Reason} loaded but is not cuBLAS (no {CreateExport})");
        }
        return new CuBlasLoad(location, handle, null);
    }

    static string FirstLine(string message) => message.Split('\n')[0].Trim().TrimEnd('.');
}
