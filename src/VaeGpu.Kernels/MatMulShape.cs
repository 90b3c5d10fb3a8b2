namespace VaeGpu.Kernels;

/// <summary>
/// C (M x N, row-major, leading dimension N) = op(A) op(B) + Beta * C. Transposes are expressed as strides:
/// element (r, c) of op(A) sits at A[r * ARowStride + c * AColStride], so one kernel serves all four variants
/// that forward and backward passes need, with no branch in the inner loop.
/// </summary>
public struct MatMulShape
{
    public int M, N, K;
    public int ARowStride, AColStride;
    public int BRowStride, BColStride;
    public float Beta;

    /// <param name="a">Stored row-major as (transposeA ? K x M : M x K).</param>
    /// <param name="b">Stored row-major as (transposeB ? N x K : K x N).</param>
    public static MatMulShape Create(int m, int n, int k, bool transposeA, bool transposeB, float beta)
    {
        int lda = transposeA ? m : k;
        int ldb = transposeB ? k : n;
        return new MatMulShape
        {
            M = m, N = n, K = k,
            ARowStride = transposeA ? 1 : lda, AColStride = transposeA ? lda : 1,
            BRowStride = transposeB ? 1 : ldb, BColStride = transposeB ? ldb : 1,
            Beta = beta,
        };
    }
}
