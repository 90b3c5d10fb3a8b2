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

    [TestCaseSource(typeof(Backends), nameof(Backends.All))]
    public void FillSetsEveryElement(string backendName)
    {
        var backend = Backends.Get(backendName);
        var tensor = backend.Upload(RandomArrays.Uniform(Rows * Columns, 3), Rows, Columns);

        backend.Fill(tensor, -2.5f);

        Assert.That(backend.Download(tensor), Is.All.EqualTo(-2.5f));
    }

    /// <summary>2u - 1 then times a bound, as the weight initialisation uses it: exact, then one rounding, on every backend.</summary>
    [TestCaseSource(typeof(Backends), nameof(Backends.All))]
    public void ScaleAndShiftMatchesTheReference(string backendName)
    {
        var backend = Backends.Get(backendName);
        float[] x = RandomArrays.Uniform(Rows * Columns, 4, -3f, 3f);
        var tensor = backend.Upload(x, Rows, Columns);

        backend.ScaleAndShift(tensor, 2f, -1f);
        backend.ScaleAndShift(tensor, 0.05f, 0f);

        ElementwiseReference.ScaleAndShift(x, 2f, -1f);
        ElementwiseReference.ScaleAndShift(x, 0.05f, 0f);
        Assert.That(backend.Download(tensor), Is.EqualTo(x));
    }
}
