namespace VaeGpu.Bench;

/// <summary>
/// One matrix product C (M x N) = op(A) op(B) with inner dimension K, as the VAE (784-400-20, batch 128) runs it.
/// Order keeps the table in the order a training step meets them (BenchmarkDotNet sorts parameters by IComparable,
/// otherwise by their text).
/// </summary>
public sealed record GemmShape(int Order, string Name, int M, int N, int K, bool TransposeA, bool TransposeB)
    : IComparable<GemmShape>, IComparable
{
    /// <summary>Multiply-adds count twice: the usual GEMM convention, so GFLOP/s compares with BLAS figures.</summary>
    public double Flops => 2.0 * M * N * K;

    /// <summary>
    /// Forward products, then the backward pass's weight gradients dW = X^T dY (A transposed) and input gradients
    /// dX = dY W^T (B transposed). "head" is the 400 -> 40 layer giving the 20 means and 20 log-variances.
    /// </summary>
    public static IReadOnlyList<GemmShape> Vae { get; } =
    [
        new(1, "fwd encoder", 128, 400, 784, false, false),
        new(2, "fwd decoder", 128, 784, 400, false, false),
        new(3, "fwd head", 128, 40, 400, false, false),
        new(4, "dW encoder A^T", 784, 400, 128, true, false),
        new(5, "dW decoder A^T", 400, 784, 128, true, false),
        new(6, "dW head A^T", 400, 40, 128, true, false),
        new(7, "dX encoder B^T", 128, 784, 400, false, true),
        new(8, "dX decoder B^T", 128, 400, 784, false, true),
        new(9, "dX head B^T", 128, 400, 40, false, true),
    ];

    /// <summary>Shown in the Shape column: name, then M x N x K.</summary>
    public override string ToString() => $"{Name} {M}x{N}x{K}";

    public int CompareTo(GemmShape? other) => other is null ? 1 : Order.CompareTo(other.Order);

    public int CompareTo(object? other) => CompareTo(other as GemmShape);
}
