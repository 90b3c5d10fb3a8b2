using VaeGpu.Kernels;

namespace VaeGpu.Tests;

/// <summary>The elementwise operations on every backend against ElementwiseReference.</summary>
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
}
