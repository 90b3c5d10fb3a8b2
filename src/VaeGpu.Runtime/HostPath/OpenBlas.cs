using System.Runtime.InteropServices;

namespace VaeGpu.Runtime.HostPath;

/// <summary>
/// The machine's OpenBLAS, loaded at run time so the program still runs (on the managed fallback) where it is not
/// installed. Debian: libopenblas0-pthread.
/// </summary>
public sealed unsafe class OpenBlas
{
    const int RowMajor = 101, NoTrans = 111, Trans = 112;
    static readonly string[] LibraryNames = ["libopenblas.so.0", "libopenblas.so", "libopenblas.dylib", "libopenblas.dll"];

    readonly delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> sgemm;

    /// <summary>The library file that was loaded.</summary>
    public string LibraryName { get; }

    /// <summary>The kernel set it runs (openblas_get_corename), e.g. SkylakeX or Haswell; "unknown" where the library does not say.</summary>
    public string CoreName { get; }

    /// <summary>"libopenblas.so.0, SkylakeX kernels": what the device line shows.</summary>
    public string Description => $"{LibraryName}, {CoreName} kernels";

    readonly delegate* unmanaged<int, void> setThreads;

    OpenBlas(string libraryName, string coreName, IntPtr sgemmAddress, IntPtr setThreadsAddress)
    {
        LibraryName = libraryName;
        CoreName = coreName;
        sgemm = (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)sgemmAddress;
        setThreads = (delegate* unmanaged<int, void>)setThreadsAddress;
    }

    /// <summary>
    /// Runs measure with OpenBLAS splitting each call over its own <paramref name="threads"/> threads, then returns it to
    /// one: the reference that `vaegpu bench` compares the team's products with. Not for use while the host path runs.
    /// </summary>
    public T WithOwnThreads<T>(int threads, Func<T> measure)
    {
        setThreads(threads);
        try { return measure(); }
        finally { setThreads(1); }
    }

    static readonly Lazy<OpenBlas?> shared = new(Load);

    /// <summary>The process-wide binding, or null when no OpenBLAS is installed.</summary>
    public static OpenBlas? Instance => shared.Value;

    /// <summary>
    /// Binds the first OpenBLAS found and tells it to run each call on the calling thread alone
    /// (openblas_set_num_threads(1)): HostThreads splits the products itself. A library without that call is passed over,
    /// as its own threads would spin beside the team's. Its kernel set is chosen first (OpenBlasCoreType).
    /// </summary>
    static OpenBlas? Load()
    {
        OpenBlasCoreType.ChooseBeforeLoading();
        foreach (var name in LibraryNames)
            if (NativeLibrary.TryLoad(name, out var handle) && NativeLibrary.TryGetExport(handle, "cblas_sgemm", out var address)
                && NativeLibrary.TryGetExport(handle, "openblas_set_num_threads", out var setThreads))
            {
                ((delegate* unmanaged<int, void>)setThreads)(1);
                string coreName = NativeLibrary.TryGetExport(handle, "openblas_get_corename", out var getCoreName)
                    ? Marshal.PtrToStringAnsi((IntPtr)((delegate* unmanaged<byte*>)getCoreName)()) ?? "unknown"
                    : "unknown";
                return new OpenBlas(name, coreName, address, setThreads);
            }
        return null;
    }

    /// <summary>
    /// C (m x n, row-major, row stride ldc) = op(A) op(B) + beta C, with A stored as (transposeA ? k x m : m x k) with
    /// row stride lda and B as (transposeB ? n x k : k x n) with row stride ldb. The spans start at each matrix's first
    /// element; their lengths are not checked here (HostBackend's callers do that).
    /// </summary>
    public void Sgemm(bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        fixed (float* pa = a, pb = b, pc = c)
            sgemm(RowMajor, transposeA ? Trans : NoTrans, transposeB ? Trans : NoTrans, m, n, k,
                1f, pa, lda, pb, ldb, beta, pc, ldc);
    }
}
