using System.Runtime.InteropServices;

namespace VaeGpu.Runtime.Cpu;

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

    /// <summary>
    /// The threads OpenBLAS splits a product over (openblas_get_num_threads; 0 where the library does not say). The
    /// summation order, hence the last bits of every product, depends on it.
    /// </summary>
    public int Threads { get; }

    OpenBlas(string libraryName, IntPtr sgemmAddress, int threads)
    {
        LibraryName = libraryName;
        Threads = threads;
        sgemm = (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)sgemmAddress;
    }

    static readonly Lazy<OpenBlas?> shared = new(Load);

    /// <summary>The process-wide binding, or null when no OpenBLAS is installed.</summary>
    public static OpenBlas? Instance => shared.Value;

    static OpenBlas? Load()
    {
        foreach (var name in LibraryNames)
            if (NativeLibrary.TryLoad(name, out var handle) && NativeLibrary.TryGetExport(handle, "cblas_sgemm", out var address))
                return new OpenBlas(name, address, NativeLibrary.TryGetExport(handle, "openblas_get_num_threads", out var threads)
                    ? ((delegate* unmanaged<int>)threads)()
                    : 0);
        return null;
    }

    /// <summary>
    /// C (m x n, row-major) = op(A) op(B) + beta C, with A stored as (transposeA ? k x m : m x k) and B as
    /// (transposeB ? n x k : k x n), all densely packed.
    /// </summary>
    public void Sgemm(bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, float beta, Span<float> c)
    {
        int lda = transposeA ? m : k, ldb = transposeB ? k : n;
        fixed (float* pa = a, pb = b, pc = c)
            sgemm(RowMajor, transposeA ? Trans : NoTrans, transposeB ? Trans : NoTrans, m, n, k,
                1f, pa, lda, pb, ldb, beta, pc, n);
    }
}
