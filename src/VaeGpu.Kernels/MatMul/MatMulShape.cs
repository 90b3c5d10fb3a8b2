using ILGPU;

namespace VaeGpu.Kernels;

/// <summary>What a product does with each finished element before storing it; fusing this saves a launch per layer.</summary>
public enum MatMulEpilogue
{
    /// <summary>c = sum + Beta * c.</summary>
    None,
    /// <summary>c = sum + bias[column]: a linear layer.</summary>
    Bias,
    /// <summary>c = max(sum + bias[column], 0): a linear layer with ReLU.</summary>
    BiasRelu,
    /// <summary>c = sum where mask > 0, else 0: the input gradient of a ReLU layer, mask being the layer's output.</summary>
    ReluMask,
}

/// <summary>
/// C (M x N, row-major, leading dimension N) = op(A) op(B), finished by an epilogue. Transposes are expressed as
/// strides: element (r, c) of op(A) sits at A[r * ARowStride + c * AColStride], so one kernel serves all four
/// variants that forward and backward passes need, with no branch in the inner loop.
/// </summary>
public struct MatMulShape
{
    public int M, N, K;
    public int ARowStride, AColStride;
    public int BRowStride, BColStride;
    public float Beta;
    public MatMulEpilogue Epilogue;

    /// <summary>
    /// The strides of C (m x n) = op(A) op(B) + beta C with k terms per element, A stored row-major as
    /// (transposeA ? k x m : m x k) and B as (transposeB ? n x k : k x n), and the epilogue applied to each result.
    /// </summary>
    public static MatMulShape Create(int m, int n, int k, bool transposeA, bool transposeB, float beta = 0f,
        MatMulEpilogue epilogue = MatMulEpilogue.None)
    {
        int lda = transposeA ? m : k;
        int ldb = transposeB ? k : n;
        return new MatMulShape
        {
            M = m, N = n, K = k,
            ARowStride = transposeA ? 1 : lda, AColStride = transposeA ? lda : 1,
            BRowStride = transposeB ? 1 : ldb, BColStride = transposeB ? ldb : 1,
            Beta = beta, Epilogue = epilogue,
        };
    }

    /// <summary>The value stored at C[row, column] for a finished dot product; bias and mask are read only when the epilogue needs them.</summary>
    public readonly float Finish(float sum, int row, int column, ArrayView<float> c, ArrayView<float> bias, ArrayView<float> mask)
    {
        int target = row * N + column;
        switch (Epilogue)
        {
            case MatMulEpilogue.Bias: return sum + bias[column];
            case MatMulEpilogue.BiasRelu: return sum + bias[column] > 0f ? sum + bias[column] : 0f;
            case MatMulEpilogue.ReluMask: return mask[target] > 0f ? sum : 0f;
            default: return Beta == 0f ? sum : sum + Beta * c[target];
        }
    }
}
