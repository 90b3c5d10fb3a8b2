using System.Numerics;

namespace VaeGpu.Runtime.Host;

/// <summary>
/// The matrix product for machines without OpenBLAS: operands are first copied into plain row-major form (op(A) as
/// M x K, op(B) as K x N) so that the inner loop runs along contiguous rows of B and C with Vector&lt;float&gt;, and rows
/// of C are shared among cores. The copies go to scratch buffers that are kept, so steady state allocates nothing.
/// </summary>
public sealed class ManagedGemm
{
    float[] scratchA = [], scratchB = [];

    public void Multiply(bool transposeA, bool transposeB, int m, int n, int k,
        float[] a, float[] b, float beta, float[] c)
    {
        float[] plainA = transposeA ? Transpose(a, k, m, ref scratchA) : a;
        float[] plainB = transposeB ? Transpose(b, n, k, ref scratchB) : b;
        Parallel.For(0, m, row => MultiplyRow(row, n, k, plainA, plainB, beta, c));
    }

    static void MultiplyRow(int row, int n, int k, float[] a, float[] b, float beta, float[] c)
    {
        var cRow = c.AsSpan(row * n, n);
        if (beta == 0f) cRow.Clear();
        else if (beta != 1f) System.Numerics.Tensors.TensorPrimitives.Multiply(cRow, beta, cRow);
        int width = Vector<float>.Count;
        for (int kk = 0; kk < k; kk++)
        {
            float aValue = a[row * k + kk];
            var bRow = b.AsSpan(kk * n, n);
            var scale = new Vector<float>(aValue);
            int col = 0;
            for (; col <= n - width; col += width)
                (new Vector<float>(cRow[col..]) + scale * new Vector<float>(bRow[col..])).CopyTo(cRow[col..]);
            for (; col < n; col++) cRow[col] += aValue * bRow[col];
        }
    }

    /// <summary>Writes the transpose of a rows x columns matrix into scratch (grown when too small) and returns it.</summary>
    static float[] Transpose(float[] source, int rows, int columns, ref float[] scratch)
    {
        if (scratch.Length < source.Length) scratch = new float[source.Length];
        for (int r = 0; r < rows; r++)
        for (int col = 0; col < columns; col++)
            scratch[col * rows + r] = source[r * columns + col];
        return scratch;
    }
}
