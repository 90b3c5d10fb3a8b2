using ILGPU;

namespace VaeGpu.Kernels;

/// <summary>What a product does with each finished element before storing it; fusing this saves a launch per layer.</summary>
public enum MatMulEpilogue
{
    /// <summary>c = sum + Beta * c.</summary>
    None,
    /// <summary>c = Activation(sum + bias[column]): a linear layer, with the shape's activation (None for the head and output).</summary>
    Bias,
    /// <summary>
    /// c = sum times the shape's Activation's derivative, read from mask (the activated layer's output): the input
    /// gradient through that layer's activation (for ReLU, sum where mask > 0, else 0).
    /// </summary>
    ActivationGradient,
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

    /// <summary>The activation the Bias and ActivationGradient epilogues apply: a kernel argument, not a launch of its own.</summary>
    public Activation Activation;

    /// <summary>
    /// 1 when op(A) has one row more than A holds, all ones, at row M - 1: with C laid out as [dW; db] (the bias right
    /// after the weights, as ParameterLayout stores them), X^T dY then gives the bias gradient 1^T dY as its last row,
    /// so a linear layer's backward needs no column-sum launch. 0 otherwise.
    /// </summary>
    public int OnesRow;

    /// <summary>
    /// The strides of C (m x n) = op(A) op(B) + beta C with k terms per element, A stored row-major as
    /// (transposeA ? k x m : m x k) and B as (transposeB ? n x k : k x n), and the epilogue applied to each result.
    /// </summary>
    public static MatMulShape Create(int m, int n, int k, bool transposeA, bool transposeB, float beta = 0f,
        MatMulEpilogue epilogue = MatMulEpilogue.None, Activation activation = Activation.None)
    {
        int lda = transposeA ? m : k;
        int ldb = transposeB ? k : n;
        return new MatMulShape
        {
            M = m, N = n, K = k,
            ARowStride = transposeA ? 1 : lda, AColStride = transposeA ? lda : 1,
            BRowStride = transposeB ? 1 : ldb, BColStride = transposeB ? ldb : 1,
            Beta = beta, Epilogue = epilogue, Activation = activation,
        };
    }

    /// <summary>
    /// This product with a row of ones appended to op(A) (see OnesRow): C gets one more row, and A is never read there.
    /// </summary>
    public readonly MatMulShape WithOnesRow() => this with { M = M + 1, OnesRow = 1 };

    /// <summary>Element (row, k) of op(A): A's element, or 1 on the appended ones row.</summary>
    public readonly float AElement(ArrayView<float> a, int row, int k) =>
        OnesRow == 1 && row == M - 1 ? 1f : a[row * ARowStride + k * AColStride];

    /// <summary>Element (k, column) of op(B).</summary>
    public readonly float BElement(ArrayView<float> b, int k, int column) => b[k * BRowStride + column * BColStride];

    /// <summary>The value stored at C[row, column] for a finished dot product; bias and mask are read only when the epilogue needs them.</summary>
    public readonly float Finish(float sum, int row, int column, ArrayView<float> c, ArrayView<float> bias, ArrayView<float> mask)
    {
        int target = row * N + column;
        switch (Epilogue)
        {
            case MatMulEpilogue.Bias: return ActivationMath.Forward(Activation, sum + bias[column]);
            case MatMulEpilogue.ActivationGradient: return ActivationMath.Backward(Activation, mask[target], sum);
            default: return Beta == 0f ? sum : sum + Beta * c[target];
        }
    }
}
