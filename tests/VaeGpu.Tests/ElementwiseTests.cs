using VaeGpu.Kernels;

namespace VaeGpu.Tests;

/// <summary>
/// Bias and activations on every backend against ElementwiseReference. Host SIMD sigmoid may differ from
/// 1/(1+exp(-x)) in the last bits: tolerance 1e-6 on values in [0, 1].
/// </summary>
public class ElementwiseTests
{
    const int Rows = 13, Columns = 37;

    [TestCaseSource(typeof(Backends), nameof(Backends.All))]
    public void AddRowBiasAddsTheBiasToEveryRow(string backendName)
    {
        var backend = Backends.Get(backendName);
        float[] x = RandomArrays.Uniform(Rows * Columns, 1), bias = RandomArrays.Uniform(Columns, 2);
        var tensor = backend.Upload(x, Rows, Columns);

        backend.AddRowBias(tensor, backend.Upload(bias, 1, Columns));

        ElementwiseReference.AddRowBias(x, bias);
        Assert.That(backend.Download(tensor), Is.EqualTo(x));
    }

    [TestCaseSource(typeof(Backends), nameof(Backends.All))]
    public void ReluForwardAndBackward(string backendName)
    {
        var backend = Backends.Get(backendName);
        float[] x = RandomArrays.Uniform(Rows * Columns, 3), dy = RandomArrays.Uniform(Rows * Columns, 4);
        var y = backend.Allocate(Rows, Columns);
        var dx = backend.Allocate(Rows, Columns);

        backend.ReluForward(backend.Upload(x, Rows, Columns), y);
        backend.ReluBackward(y, backend.Upload(dy, Rows, Columns), dx);

        float[] expectedY = new float[x.Length], expectedDx = new float[x.Length];
        ElementwiseReference.ReluForward(x, expectedY);
        ElementwiseReference.ReluBackward(expectedY, dy, expectedDx);
        Assert.That(backend.Download(y), Is.EqualTo(expectedY));
        Assert.That(backend.Download(dx), Is.EqualTo(expectedDx));
    }

    [TestCaseSource(typeof(Backends), nameof(Backends.All))]
    public void SigmoidForwardAndBackward(string backendName)
    {
        var backend = Backends.Get(backendName);
        float[] x = RandomArrays.Uniform(Rows * Columns, 5, -20f, 20f), dy = RandomArrays.Uniform(Rows * Columns, 6);
        x[0] = -200f; // e^200 overflows: the result must be 0, not NaN.
        x[1] = 200f;
        var y = backend.Allocate(Rows, Columns);
        var dx = backend.Allocate(Rows, Columns);

        backend.SigmoidForward(backend.Upload(x, Rows, Columns), y);
        backend.SigmoidBackward(y, backend.Upload(dy, Rows, Columns), dx);

        float[] expectedY = new float[x.Length], expectedDx = new float[x.Length];
        ElementwiseReference.SigmoidForward(x, expectedY);
        ElementwiseReference.SigmoidBackward(expectedY, dy, expectedDx);
        Assert.That(backend.Download(y), Is.EqualTo(expectedY).Within(1e-6f));
        Assert.That(backend.Download(dx), Is.EqualTo(expectedDx).Within(1e-6f));
        Assert.That(backend.Download(y)[0], Is.EqualTo(0f));
        Assert.That(backend.Download(y)[1], Is.EqualTo(1f));
    }

    /// <summary>The backward kernels are the derivatives of the forward ones: central differences in double.</summary>
    [Test]
    public void BackwardFormulasMatchFiniteDifferences()
    {
        const double h = 1e-4;
        foreach (double x in new[] { -3.0, -0.5, 0.25, 2.0 })
        {
            double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));
            double numeric = (Sigmoid(x + h) - Sigmoid(x - h)) / (2 * h);
            float[] y = [(float)Sigmoid(x)], dy = [1f], dx = new float[1];
            ElementwiseReference.SigmoidBackward(y, dy, dx);
            Assert.That(dx[0], Is.EqualTo(numeric).Within(1e-6), $"sigmoid' at {x}");

            double numericRelu = (Math.Max(x + h, 0) - Math.Max(x - h, 0)) / (2 * h);
            float[] reluY = [(float)Math.Max(x, 0)];
            ElementwiseReference.ReluBackward(reluY, dy, dx);
            Assert.That(dx[0], Is.EqualTo(numericRelu).Within(1e-6), $"relu' at {x}");
        }
    }
}
