using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.Cuda.API;

namespace VaeGpu.Runtime.Ilgpu;

/// <summary>A cuBLAS product on an accelerator, or why there is none (Product null, Reason says why in one line).</summary>
sealed record CuBlasStart(CuBlasProduct? Product, string Reason);

/// <summary>
/// The arguments of one column-major cublasSgemm call: C' (M x N, leading dimension Ldc) = op(First) op(Second) +
/// beta C', where First is the caller's B and Second the caller's A (see CuBlasProduct for why).
/// </summary>
readonly record struct ColumnMajorGemm(
    CuBlasOperation OpFirst, CuBlasOperation OpSecond, int M, int N, int K, int LdFirst, int LdSecond, int Ldc)
{
    /// <summary>
    /// The call computing the row-major C (m x n) = op(A) op(B) + beta C, with A stored row-major as (transposeA ?
    /// k x m : m x k) and B as (transposeB ? n x k : k x n), the convention of MatMulShape.Create.
    /// </summary>
    public static ColumnMajorGemm ForRowMajor(int m, int n, int k, bool transposeA, bool transposeB) => new(
        OpFirst: transposeB ? CuBlasOperation.Transpose : CuBlasOperation.NonTranspose,
        OpSecond: transposeA ? CuBlasOperation.Transpose : CuBlasOperation.NonTranspose,
        M: n, N: m, K: k,
        LdFirst: transposeB ? k : n,
        LdSecond: transposeA ? m : k,
        Ldc: n);

    /// <summary>
    /// The call for a MatMulShape made by MatMulShape.Create: the transposes are read back from the strides (a
    /// transposed A has AColStride = m, else 1; a transposed B has BColStride = k, else 1). Where m = 1 (or k = 1 for
    /// B) both readings describe the same memory, and the untransposed one is taken.
    /// </summary>
    public static ColumnMajorGemm ForShape(in VaeGpu.Kernels.MatMulShape shape) =>
        ForRowMajor(shape.M, shape.N, shape.K, transposeA: shape.AColStride != 1, transposeB: shape.BColStride != 1);
}

/// <summary>
/// The matrix product through NVIDIA's cuBLAS (ILGPU.Algorithms' CuBlas wrapper), on the accelerator's default
/// stream, in FP32 (no TF32), with alpha and beta passed from the host.
/// <para>
/// Row-major through a column-major library (the operand swap). A row-major r x c matrix with leading dimension c
/// occupies exactly the memory of the column-major c x r matrix, its transpose, with the same leading dimension. So
/// the row-major C (m x n) is, to cuBLAS, the column-major C^T (n x m) with ldc = n, and
///   C = op(A) op(B)   is   C^T = op(B)^T op(A)^T,
/// a column-major product with B first and A second, M = n, N = m, K = k:
/// <list type="bullet">
/// <item>B not transposed: stored row-major k x n, which cuBLAS reads as B^T (n x k, ld n) = op(B)^T: op N, ldb = n.</item>
/// <item>B transposed: stored row-major n x k, read as B^T (k x n, ld k); op(B)^T = B is its transpose: op T, ldb = k.</item>
/// <item>A not transposed: stored row-major m x k, read as A^T (k x m, ld k) = op(A)^T: op N, lda = k.</item>
/// <item>A transposed: stored row-major k x m, read as A^T (m x k, ld m); op(A)^T = A is its transpose: op T, lda = m.</item>
/// </list>
/// Hence Gemm(opB, opA, n, m, k, alpha, B, ldb, A, lda, beta, C, n), with lda and ldb the row lengths of A and B as
/// stored (MatMulShape.Create's lda and ldb). cuBLAS's rule ld >= rows of the stored column-major operand holds: for
/// op N the first operand needs ld >= M = n (ldb = n), for op T ld >= K = k (ldb = k); the second needs ld >= K = k
/// with op N (lda = k) and ld >= N = m with op T (lda = m). With beta = 0, C is not read (cuBLAS's rule), as in the
/// product kernels.
/// </para>
/// <para>
/// Math mode: ILGPU's CuBlasMathMode has only DefaultMath (0) and TensorOpMath (1, deprecated). cuBLAS 11+ also has
/// CUBLAS_PEDANTIC_MATH (2) and CUBLAS_TF32_TENSOR_OP_MATH (3). DefaultMath computes FP32 products in FP32: TF32
/// needs the TF32 mode (or NVIDIA_TF32_OVERRIDE) and is never asked for here; pedantic (cast from 2) also rules out
/// anything cuBLAS might otherwise choose (e.g. emulation), at some cost in speed.
/// </para>
/// Epilogues (bias, activation, its gradient) are not cuBLAS's: a caller applies them with its own kernels after the product.
/// </summary>
sealed class CuBlasProduct : IDisposable
{
    /// <summary>cuBLAS's CUBLAS_PEDANTIC_MATH, which ILGPU's CuBlasMathMode does not name.</summary>
    const CuBlasMathMode PedanticMath = (CuBlasMathMode)2;

    readonly CuBlas blas;

    CuBlasProduct(CuBlas blas, string description)
    {
        this.blas = blas;
        Description = description;
    }

    /// <summary>e.g. "cuBLAS 13.0.2 (libcublas.so.13 in /usr/local/cuda/lib64), FP32 default math".</summary>
    public string Description { get; }

    /// <summary>
    /// cuBLAS on the accelerator, through the library CuBlasLibrary found; or, when the accelerator is not CUDA or
    /// cuBLAS is absent or does not start, a result saying why. Never throws DllNotFoundException.
    /// </summary>
    public static CuBlasStart TryCreate(Accelerator accelerator, bool pedantic = false)
    {
        if (accelerator is not CudaAccelerator cuda)
            return new CuBlasStart(null, $"not a CUDA device ({accelerator.AcceleratorType})");
        if (CuBlasLibrary.Register() is { } problem) return new CuBlasStart(null, problem);
        var location = CuBlasLibrary.Located;
        CuBlas? blas = null;
        try
        {
            // V12 names the import libcublas.so.12, which the resolver maps to the library found (11, 12 or 13).
            blas = new CuBlas(cuda, CuBlasAPIVersion.V12);
            blas.MathMode = pedantic ? PedanticMath : CuBlasMathMode.DefaultMath;
            blas.PointerMode = CuBlasPointerMode.Host;
            blas.Stream = (CudaStream)cuda.DefaultStream;
            string version = $"{blas.Version / 10000}.{blas.Version / 100 % 100}.{blas.Version % 100}";
            return new CuBlasStart(new CuBlasProduct(blas, $"cuBLAS {version} ({location.Reason}), FP32 {(pedantic ? "pedantic" : "default")} math"), location.Reason);
        }
        catch (Exception error) when (error is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException
                                          or CuBlasException or CudaException or InvalidCastException)
        {
            try { blas?.Dispose(); } catch (CuBlasException) { }
            return new CuBlasStart(null, $"cuBLAS from {location.Reason} did not start: {error.GetType().Name}: {error.Message.Split('\n')[0].Trim()}");
        }
    }

    /// <summary>
    /// C (m x n, row-major) = op(A) op(B) + beta C, A stored row-major as (transposeA ? k x m : m x k), B as
    /// (transposeB ? n x k : k x n): MatMulShape.Create's convention. Queued on the accelerator's default stream, so
    /// it is ordered with the ILGPU kernels launched there.
    /// </summary>
    public void Multiply(int m, int n, int k, bool transposeA, bool transposeB, ArrayView<float> a, ArrayView<float> b, float beta, ArrayView<float> c)
    {
        Check(m, n, k, a.Length, b.Length, c.Length);
        var call = ColumnMajorGemm.ForRowMajor(m, n, k, transposeA, transposeB);
        blas.Gemm(call.OpFirst, call.OpSecond, call.M, call.N, call.K, 1f, b, call.LdFirst, a, call.LdSecond, beta, c, call.Ldc);
    }

    /// <summary>
    /// The product a MatMulShape describes, for shapes without an epilogue (cuBLAS has none): C = op(A) op(B) +
    /// shape.Beta C. An epilogue is the caller's to apply after this, with its own kernel.
    /// </summary>
    public void Multiply(in VaeGpu.Kernels.MatMulShape shape, ArrayView<float> a, ArrayView<float> b, ArrayView<float> c)
    {
        if (shape.Epilogue != VaeGpu.Kernels.MatMulEpilogue.None)
            throw new ArgumentException($"cuBLAS has no {shape.Epilogue} epilogue: run the product with MatMulEpilogue.None and apply it after.", nameof(shape));
        Check(shape.M, shape.N, shape.K, a.Length, b.Length, c.Length);
        var call = ColumnMajorGemm.ForShape(shape);
        blas.Gemm(call.OpFirst, call.OpSecond, call.M, call.N, call.K, 1f, b, call.LdFirst, a, call.LdSecond, shape.Beta, c, call.Ldc);
    }

    /// <summary>Refuses views too short for the shape: cuBLAS would read or write past them.</summary>
    internal static void Check(int m, int n, int k, long aLength, long bLength, long cLength)
    {
        if (m <= 0 || n <= 0 || k <= 0) throw new ArgumentOutOfRangeException(nameof(m), $"cuBLAS product of shape m={m}, n={n}, k={k}: every dimension must be positive.");
        if (aLength < (long)m * k || bLength < (long)k * n || cLength < (long)m * n)
            throw new ArgumentException($"cuBLAS product m={m}, n={n}, k={k} needs A >= {(long)m * k}, B >= {(long)k * n}, C >= {(long)m * n} elements; got {aLength}, {bLength}, {cLength}.");
    }

    public void Dispose() => blas.Dispose();
}
