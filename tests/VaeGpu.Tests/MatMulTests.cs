using MathNet.Numerics.LinearAlgebra;
using VaeGpu.Kernels;
using VaeGpu.Runtime;
using ILGPU;
using ILGPU.Runtime;

namespace VaeGpu.Tests;

/// <summary>
/// Products against MathNet.Numerics (the independent oracle) on every backend and for every transpose variant.
/// Tolerance: float accumulation over K terms of size at most 1 has error about K * 2^-24 per term's magnitude;
/// we allow 1e-5 * K absolute, two orders above that.
/// </summary>
public class MatMulTests
{
    static IEnumerable<TestCaseData> Cases()
    {
        foreach (var backend in Backends.All)
        foreach (var (m, n, k) in new[] { (1, 1, 1), (7, 5, 3), (33, 20, 40), (17, 65, 16) })
        foreach (var transposeA in new[] { false, true })
        foreach (var transposeB in new[] { false, true })
            yield return new TestCaseData(backend, m, n, k, transposeA, transposeB);
    }

    /// <summary>The oracle: MathNet's product of op(A) and op(B) built from the same row-major arrays.</summary>
    static float[] Oracle(float[] a, float[] b, int m, int n, int k, bool transposeA, bool transposeB)
    {
        var matrixA = transposeA ? Matrix<float>.Build.Dense(k, m, (r, c) => a[r * m + c]).Transpose() : Matrix<float>.Build.Dense(m, k, (r, c) => a[r * k + c]);
        var matrixB = transposeB ? Matrix<float>.Build.Dense(n, k, (r, c) => b[r * k + c]).Transpose() : Matrix<float>.Build.Dense(k, n, (r, c) => b[r * n + c]);
        var product = matrixA * matrixB;
        var result = new float[m * n];
        for (int r = 0; r < m; r++)
        for (int c = 0; c < n; c++) result[r * n + c] = product[r, c];
        return result;
    }

    [TestCaseSource(nameof(Cases))]
    public void ProductMatchesMathNet(string backendName, int m, int n, int k, bool transposeA, bool transposeB)
    {
        var backend = Backends.Get(backendName);
        float[] a = RandomArrays.Uniform(m * k, seed: 1), b = RandomArrays.Uniform(k * n, seed: 2);
        var tensorA = backend.Upload(a, transposeA ? k : m, transposeA ? m : k);
        var tensorB = backend.Upload(b, transposeB ? n : k, transposeB ? k : n);
        var tensorC = backend.Allocate(m, n);

        backend.MatMul(tensorA, transposeA, tensorB, transposeB, tensorC);

        Assert.That(backend.Download(tensorC), Is.EqualTo(Oracle(a, b, m, n, k, transposeA, transposeB)).Within(1e-5f * k));
    }

    [TestCaseSource(typeof(Backends), nameof(Backends.All))]
    public void AccumulateAddsToTheExistingProduct(string backendName)
    {
        var backend = Backends.Get(backendName);
        const int m = 6, n = 9, k = 4;
        float[] a = RandomArrays.Uniform(m * k, 3), b = RandomArrays.Uniform(k * n, 4), c = RandomArrays.Uniform(m * n, 5);
        var tensorC = backend.Upload(c, m, n);

        backend.MatMul(backend.Upload(a, m, k), false, backend.Upload(b, k, n), false, tensorC, accumulate: true);

        var expected = Oracle(a, b, m, n, k, false, false).Zip(c, (p, previous) => p + previous);
        Assert.That(backend.Download(tensorC), Is.EqualTo(expected).Within(1e-5f * k));
    }

    [TestCaseSource(typeof(Backends), nameof(Backends.All))]
    public void MismatchedShapesAreRefused(string backendName)
    {
        var backend = Backends.Get(backendName);
        Assert.Throws<ArgumentException>(() => backend.MatMul(backend.Allocate(3, 4), false, backend.Allocate(5, 2), false, backend.Allocate(3, 2)));
    }

    /// <summary>
    /// The fused linear layer: activation(x W + b) for each activation, and the input gradient through the activation
    /// of the layer that produced x (read from x itself).
    /// </summary>
    [TestCaseSource(typeof(Backends), nameof(Backends.All))]
    public void LinearLayerEpiloguesMatchTheReference(string backendName)
    {
        var backend = Backends.Get(backendName);
        const int batch = 9, inputs = 21, outputs = 14;
        float[] x = RandomArrays.Uniform(batch * inputs, 11), w = RandomArrays.Uniform(inputs * outputs, 12), bias = RandomArrays.Uniform(outputs, 13);
        float[] dy = RandomArrays.Uniform(batch * outputs, 14);
        var (tensorX, tensorW, tensorBias, tensorDy) = (backend.Upload(x, batch, inputs), backend.Upload(w, inputs, outputs), backend.Upload(bias, 1, outputs), backend.Upload(dy, batch, outputs));
        foreach (var activation in Enum.GetValues<Activation>())
        {
            var (y, dx) = (backend.Allocate(batch, outputs), backend.Allocate(batch, inputs));
            backend.LinearForward(tensorX, tensorW, tensorBias, y, activation);
            backend.LinearBackwardInput(tensorDy, tensorW, dx, activation, activation == Activation.None ? null : tensorX);

            float[] expectedY = new float[batch * outputs], expectedDx = new float[batch * inputs];
            MatMulReference.Compute(x, w, expectedY, MatMulShape.Create(batch, outputs, inputs, false, false, epilogue: MatMulEpilogue.Bias, activation: activation), bias);
            var gradientEpilogue = activation == Activation.None ? MatMulEpilogue.None : MatMulEpilogue.ActivationGradient;
            MatMulReference.Compute(dy, w, expectedDx, MatMulShape.Create(batch, inputs, outputs, false, true, epilogue: gradientEpilogue, activation: activation), mask: x);
            Assert.That(backend.Download(y), Is.EqualTo(expectedY).Within(1e-5f * inputs), $"{activation} forward");
            Assert.That(backend.Download(dx), Is.EqualTo(expectedDx).Within(1e-5f * outputs), $"{activation} input gradient");
            switch (activation)
            {
                case Activation.Relu:
                    Assert.That(backend.Download(y), Has.All.GreaterThanOrEqualTo(0f));
                    Assert.That(backend.Download(dx).Count(v => v == 0f), Is.EqualTo(x.Count(v => v <= 0f)), "the ReLU's gradient is zero exactly where x <= 0");
                    break;
                case Activation.Tanh:
                    Assert.That(backend.Download(y), Has.All.InRange(-1f, 1f));
                    break;
            }
        }
    }

    /// <summary>
    /// ActivationMath.Tanh (exp and a series, as every backend runs it) against the double tanh: within 6 float ulp
    /// of the value from 1e-30 to where it saturates (5.2 measured, just above the series' range, where 1 - 2 / (e^2|x| + 1)
    /// cancels most), odd, and exactly +-1 beyond.
    /// </summary>
    [Test]
    public void TanhIsWithinAFewUlpOfTheDoubleTanh()
    {
        double worst = 0;
        for (double magnitude = 1e-30; magnitude < 20; magnitude *= 1.0007)
        {
            float x = (float)magnitude;
            double expected = Math.Tanh(x);
            worst = Math.Max(worst, Math.Abs(ActivationMath.Tanh(x) - expected) / (Math.Abs(expected) * Math.Pow(2, -23)));
            Assert.That(ActivationMath.Tanh(-x), Is.EqualTo(-ActivationMath.Tanh(x)), $"odd at {x}");
        }
        Assert.That(worst, Is.LessThan(6), "worst error in float ulp");
        Assert.That((ActivationMath.Tanh(100f), ActivationMath.Tanh(-1e30f), ActivationMath.Tanh(0f)), Is.EqualTo((1f, -1f, 0f)));
    }

    /// <summary>An activation's gradient is read from the layer's output: without it the operation is refused.</summary>
    [TestCaseSource(typeof(Backends), nameof(Backends.All))]
    public void AnActivationGradientWithoutTheLayersOutputIsRefused(string backendName)
    {
        var backend = Backends.Get(backendName);
        Assert.Throws<ArgumentNullException>(() => backend.LinearBackwardInput(backend.Allocate(3, 4), backend.Allocate(2, 4), backend.Allocate(3, 2), Activation.Tanh, null));
        Assert.Throws<ArgumentException>(() => backend.LinearBackwardInput(backend.Allocate(3, 4), backend.Allocate(2, 4), backend.Allocate(3, 2), Activation.Relu, backend.Allocate(2, 3)));
    }

    /// <summary>[dW; db] in one operation: x^T dy in the first rows, the column sums of dy in the last.</summary>
    [TestCaseSource(typeof(Backends), nameof(Backends.All))]
    public void LinearBackwardWeightsGivesWeightAndBiasGradients(string backendName)
    {
        var backend = Backends.Get(backendName);
        const int batch = 70, inputs = 23, outputs = 66;
        float[] x = RandomArrays.Uniform(batch * inputs, 21), dy = RandomArrays.Uniform(batch * outputs, 22);
        var gradients = backend.Allocate(inputs + 1, outputs);

        backend.LinearBackwardWeights(backend.Upload(x, batch, inputs), backend.Upload(dy, batch, outputs), gradients);

        var expected = new float[(inputs + 1) * outputs];
        MatMulReference.Compute(x, dy, expected, MatMulShape.Create(inputs, outputs, batch, true, false).WithOnesRow());
        float[] columnSums = ReductionReference.SumColumns(dy, batch, outputs);
        Assert.That(backend.Download(gradients), Is.EqualTo(expected).Within(1e-5f * batch));
        Assert.That(expected[(inputs * outputs)..], Is.EqualTo(columnSums).Within(1e-5f * batch), "the ones row is the column sum");
        Assert.Throws<ArgumentException>(() => backend.LinearBackwardWeights(backend.Allocate(batch, inputs), backend.Allocate(batch, outputs), backend.Allocate(inputs, outputs)));
    }

    /// <summary>Views share storage: a product into the second half of a buffer leaves the first half alone.</summary>
    [TestCaseSource(typeof(Backends), nameof(Backends.All))]
    public void ProductsWorkOnViews(string backendName)
    {
        var backend = Backends.Get(backendName);
        float[] a = RandomArrays.Uniform(4 * 3, 15), b = RandomArrays.Uniform(3 * 5, 16);
        var storage = backend.Allocate(1, 40);
        var viewA = backend.View(storage, 0, 4, 3);
        var viewC = backend.View(storage, 20, 4, 5);
        backend.Upload(a, viewA);

        backend.MatMul(viewA, false, backend.Upload(b, 3, 5), false, viewC);

        float[] all = backend.Download(storage);
        Assert.That(all[..12], Is.EqualTo(a));
        Assert.That(all[12..20], Has.All.EqualTo(0f));
        Assert.That(all[20..], Is.EqualTo(Oracle(a, b, 4, 5, 3, false, false)).Within(1e-5f * 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => backend.View(storage, 30, 4, 5));
    }

    /// <summary>The GPU kernel, run on a CPU accelerator with 256-thread groups, against the managed reference.</summary>
    [TestCase(20, 18, 24, false, false)]
    [TestCase(16, 16, 16, true, false)]
    [TestCase(5, 33, 17, false, true)]
    [TestCase(31, 3, 9, true, true)]
    public void TiledKernelMatchesReference(int m, int n, int k, bool transposeA, bool transposeB)
    {
        using var host = Backends.WideCpuAccelerator();
        var kernel = host.Accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, MatMulShape>(MatMulKernels.Tiled);
        float[] a = RandomArrays.Uniform(m * k, 6), b = RandomArrays.Uniform(k * n, 7), c = RandomArrays.Uniform(m * n, 8);
        var shape = MatMulShape.Create(m, n, k, transposeA, transposeB, beta: 1f);
        using var bufferA = host.Accelerator.Allocate1D(a);
        using var bufferB = host.Accelerator.Allocate1D(b);
        using var bufferC = host.Accelerator.Allocate1D(c);
        int tile = MatMulKernels.TileSize;

        kernel(new KernelConfig(new Index2D((n + tile - 1) / tile, (m + tile - 1) / tile), new Index2D(tile, tile)),
            bufferA.View, bufferB.View, bufferC.View, bufferC.View, bufferC.View, shape);

        var expected = (float[])c.Clone();
        MatMulReference.Compute(a, b, expected, shape);
        Assert.That(bufferC.GetAsArray1D(), Is.EqualTo(expected).Within(1e-5f * k));
    }
}
