using System.Runtime.InteropServices;

namespace VaeGpu.Bench;

/// <summary>
/// The baseline: cblas_sgemm called directly on pinned arrays, with no tensor, shape check or `fixed` in between,
/// so "vs OpenBLAS" shows exactly what the backend's own layers cost. Same library file as HostBackend loads
/// (Debian's libopenblas0-pthread), hence the same number of OpenBLAS threads.
/// </summary>
public sealed unsafe class RawSgemm
{
    const int RowMajor = 101, NoTrans = 111, Trans = 112;

    [DllImport("libopenblas.so.0", EntryPoint = "cblas_sgemm", ExactSpelling = true)]
    static extern void CblasSgemm(int order, int transA, int transB, int m, int n, int k,
        float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc);

    [DllImport("libopenblas.so.0", EntryPoint = "openblas_set_num_threads", ExactSpelling = true)]
    static extern void OpenBlasSetNumThreads(int threads);

    [DllImport("libopenblas.so.0", EntryPoint = "openblas_get_num_threads", ExactSpelling = true)]
    static extern int OpenBlasGetNumThreads();

    /// <summary>
    /// OpenBLAS's thread count is global to the process; BenchmarkDotNet runs each case in its own process, so
    /// setting it in one case's setup affects that case only.
    /// </summary>
    public static int Threads
    {
        get => OpenBlasGetNumThreads();
        set => OpenBlasSetNumThreads(value);
    }

    readonly GemmShape shape;
    // Pinned (pinned object heap) so the pointers below stay valid for the life of the benchmark.
    readonly float[] a, b, c;
    readonly float* pa, pb, pc;

    public RawSgemm(GemmShape shape, float[] aData, float[] bData)
    {
        this.shape = shape;
        a = GC.AllocateArray<float>(aData.Length, pinned: true);
        b = GC.AllocateArray<float>(bData.Length, pinned: true);
        c = GC.AllocateArray<float>(shape.M * shape.N, pinned: true);
        aData.CopyTo(a, 0);
        bData.CopyTo(b, 0);
        pa = (float*)Marshal.UnsafeAddrOfPinnedArrayElement(a, 0);
        pb = (float*)Marshal.UnsafeAddrOfPinnedArrayElement(b, 0);
        pc = (float*)Marshal.UnsafeAddrOfPinnedArrayElement(c, 0);
    }

    /// <summary>C = op(A) op(B), row-major, densely packed: the same call HostBackend makes with beta 0.</summary>
    public void Run()
    {
        var s = shape;
        int lda = s.TransposeA ? s.M : s.K, ldb = s.TransposeB ? s.K : s.N;
        CblasSgemm(RowMajor, s.TransposeA ? Trans : NoTrans, s.TransposeB ? Trans : NoTrans, s.M, s.N, s.K,
            1f, pa, lda, pb, ldb, 0f, pc, s.N);
    }

    /// <summary>C after the last Run.</summary>
    public ReadOnlySpan<float> Result => c;
}
