using System.Numerics;

namespace VaeGpu.Runtime.HostPath;

/// <summary>
/// The matrix product for machines without OpenBLAS: operands are first copied into plain row-major form (op(A) as
/// M x K, op(B) as K x N) so that the inner loop runs along contiguous rows of B and C with Vector&lt;float&gt;; the
/// caller shares blocks of C's rows among its threads. The copies go to scratch buffers that are kept, so steady state
/// allocates nothing.
/// </summary>
public sealed class ManagedGemm
{
    float[] scratchA = [], scratchB = [];

    /// <summary>op(A) as M x K and op(B) as K x N, row-major.</summary>
    public readonly record struct PlainOperands(Memory<float> A, Memory<float> B);

    public PlainOperands Prepare(bool transposeA, bool transposeB, int m, int n, int k, Memory<float> a, Memory<float> b) =>
        new(transposeA ? Transpose(a.Span, k, m, ref scratchA) : a, transposeB ? Transpose(b.Span, n, k, ref scratchB) : b);

    /// <summary>Rows first .. first + rows - 1 of C = A B + beta C.</summary>
    public static void MultiplyRows(PlainOperands operands, int first, int rows, int n, int k, float beta, Memory<float> c)
    {
        for (int row = first; row < first + rows; row++) MultiplyRow(row, n, k, operands.A.Span, operands.B.Span, beta, c.Span);
    }

    static void MultiplyRow(int row, int n, int k, ReadOnlySpan<float> a, ReadOnlySpan<float> b, float beta, Span<float> c)
    {
        var cRow = c.Slice(row * n, n);
        if (beta == 0f) cRow.Clear();
        else if (beta != 1f) System.Numerics.Tensors.TensorPrimitives.Multiply(cRow, beta, cRow);
        int width = Vector<float>.Count;
        for (int kk = 0; kk < k; kk++)
        {
            float aValue = a[row * k + kk];
            var bRow = b.Slice(kk * n, n);
            var scale = new Vector<float>(aValue);
            int col = 0;
            for (; col <= n - width; col += width)
                (new Vector<float>(cRow[col..]) + scale * new Vector<float>(bRow[col..])).CopyTo(cRow[col..]);
            for (; col < n; col++) cRow[col] += aValue * bRow[col];
        }
    }

    /// <summary>Writes the transpose of a rows x columns matrix into scratch (grown when too small) and returns it.</summary>
    static Memory<float> Transpose(ReadOnlySpan<float> source, int rows, int columns, ref float[] scratch)
    {
        if (scratch.Length < source.Length) scratch = new float[source.Length];
        for (int r = 0; r < rows; r++)
        for (int col = 0; col < columns; col++)
            scratch[col * rows + r] = source[r * columns + col];
        return scratch.AsMemory(0, source.Length);
    }
}
