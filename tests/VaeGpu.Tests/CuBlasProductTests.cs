using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using VaeGpu.Runtime.Ilgpu;

namespace VaeGpu.Tests;

/// <summary>
/// The cuBLAS product without a GPU: the row-major to column-major operand swap, run through a reference column-major
/// sgemm that also checks cuBLAS's leading-dimension rules, its argument checks, and its clean refusal on a device
/// that is not CUDA.
/// </summary>
public class CuBlasProductTests
{
    [TestCase(3, 5, 7)]
    [TestCase(1, 4, 2)]
    [TestCase(6, 1, 3)]
    [TestCase(4, 4, 1)]
    [TestCase(17, 9, 33)]
    public void TheColumnMajorCallComputesTheRowMajorProduct(int m, int n, int k)
    {
        var random = new Random(m * 1000 + n * 10 + k);
        foreach (bool transposeA in new[] { false, true })
            foreach (bool transposeB in new[] { false, true })
                foreach (float beta in new[] { 0f, 1f, 0.5f })
                {
                    float[] a = Values(random, m * k), b = Values(random, k * n), c = Values(random, m * n);
                    float[] expected = RowMajorReference(m, n, k, transposeA, transposeB, a, b, beta, c);

                    var call = ColumnMajorGemm.ForRowMajor(m, n, k, transposeA, transposeB);
                    float[] actual = (float[])c.Clone();
                    ColumnMajorSgemm(call.OpFirst, call.OpSecond, call.M, call.N, call.K, b, call.LdFirst, a, call.LdSecond, beta, actual, call.Ldc);

                    Assert.That(actual, Is.EqualTo(expected).Within(1e-4f), $"m={m} n={n} k={k} transposeA={transposeA} transposeB={transposeB} beta={beta}");
                    // lda and ldb are the row lengths of A and B as stored: those of MatMulShape.Create.
                    var shape = Kernels.MatMulShape.Create(m, n, k, transposeA, transposeB);
                    Assert.That(call.LdSecond, Is.EqualTo(transposeA ? shape.AColStride : shape.ARowStride));
                    Assert.That(call.LdFirst, Is.EqualTo(transposeB ? shape.BColStride : shape.BRowStride));
                }
    }

    [TestCase(3, 5, 7)]
    [TestCase(1, 4, 2)]
    [TestCase(6, 1, 3)]
    [TestCase(4, 4, 1)]
    [TestCase(1, 1, 1)]
    [TestCase(1, 3, 1)]
    public void TheCallReadBackFromAMatMulShapeComputesTheSameProduct(int m, int n, int k)
    {
        var random = new Random(m * 1000 + n * 10 + k);
        foreach (bool transposeA in new[] { false, true })
            foreach (bool transposeB in new[] { false, true })
            {
                float[] a = Values(random, m * k), b = Values(random, k * n), c = Values(random, m * n);
                var shape = Kernels.MatMulShape.Create(m, n, k, transposeA, transposeB, beta: 1f);
                float[] expected = RowMajorReference(m, n, k, transposeA, transposeB, a, b, 1f, c);

                var call = ColumnMajorGemm.ForShape(shape);
                float[] actual = (float[])c.Clone();
                ColumnMajorSgemm(call.OpFirst, call.OpSecond, call.M, call.N, call.K, b, call.LdFirst, a, call.LdSecond, 1f, actual, call.Ldc);

                Assert.That(actual, Is.EqualTo(expected).Within(1e-4f), $"m={m} n={n} k={k} transposeA={transposeA} transposeB={transposeB}");
            }
    }

    [Test]
    public void ViewsTooShortForTheShapeAreRefused()
    {
        Assert.DoesNotThrow(() => CuBlasProduct.Check(2, 3, 4, 8, 12, 6));
        Assert.Throws<ArgumentException>(() => CuBlasProduct.Check(2, 3, 4, 7, 12, 6));
        Assert.Throws<ArgumentException>(() => CuBlasProduct.Check(2, 3, 4, 8, 11, 6));
        Assert.Throws<ArgumentException>(() => CuBlasProduct.Check(2, 3, 4, 8, 12, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => CuBlasProduct.Check(0, 3, 4, 8, 12, 6));
    }

    [Test]
    public void OnANonCudaAcceleratorThereIsNoCuBlasProductAndNoException()
    {
        using var context = Context.Create(builder => builder.CPU());
        using var accelerator = context.GetCPUDevice(0).CreateAccelerator(context);

        var start = CuBlasProduct.TryCreate(accelerator);

        Assert.That(start.Product, Is.Null);
        Assert.That(start.Reason, Is.EqualTo("not a CUDA device (CPU)"));
    }

    static float[] Values(Random random, int count) => Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();

    /// <summary>C (m x n) = op(A) op(B) + beta C, row-major, A stored (transposeA ? k x m : m x k), B (transposeB ? n x k : k x n).</summary>
    static float[] RowMajorReference(int m, int n, int k, bool transposeA, bool transposeB, float[] a, float[] b, float beta, float[] c)
    {
        var result = new float[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                    sum += (double)(transposeA ? a[p * m + i] : a[i * k + p]) * (transposeB ? b[j * k + p] : b[p * n + j]);
                result[i * n + j] = (float)(sum + beta * c[i * n + j]);
            }
        return result;
    }

    /// <summary>
    /// The reference BLAS sgemm, column-major, as cuBLAS defines it: C = op(A) op(B) + beta C with op(A) m x k, op(B)
    /// k x n, element (r, c) of a matrix with leading dimension ld at [r + c * ld]; A is lda x (transa ? m : k) etc.
    /// It also checks cuBLAS's leading-dimension rules, which a wrong swap would break.
    /// </summary>
    static void ColumnMajorSgemm(CuBlasOperation transa, CuBlasOperation transb, int m, int n, int k,
        float[] a, int lda, float[] b, int ldb, float beta, float[] c, int ldc)
    {
        bool ta = transa == CuBlasOperation.Transpose, tb = transb == CuBlasOperation.Transpose;
        Assert.That(lda, Is.GreaterThanOrEqualTo(Math.Max(1, ta ? k : m)), "lda");
        Assert.That(ldb, Is.GreaterThanOrEqualTo(Math.Max(1, tb ? n : k)), "ldb");
        Assert.That(ldc, Is.GreaterThanOrEqualTo(Math.Max(1, m)), "ldc");
        Assert.That(a.Length, Is.GreaterThanOrEqualTo(lda * ((ta ? m : k) - 1) + (ta ? k : m)), "A's extent");
        Assert.That(b.Length, Is.GreaterThanOrEqualTo(ldb * ((tb ? k : n) - 1) + (tb ? n : k)), "B's extent");
        for (int col = 0; col < n; col++)
            for (int row = 0; row < m; row++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                    sum += (double)(ta ? a[p + row * lda] : a[row + p * lda]) * (tb ? b[col + p * ldb] : b[p + col * ldb]);
                c[row + col * ldc] = (float)(sum + beta * c[row + col * ldc]);
            }
    }
}
