using VaeGpu.Kernels;

namespace VaeGpu.Tests;

/// <summary>GatherRows on every backend against GatherReference.</summary>
public class GatherTests
{
    [TestCaseSource(typeof(Backends), nameof(Backends.All))]
    public void GatherRowsCopiesTheIndexedRows(string backendName)
    {
        var backend = Backends.Get(backendName);
        float[] source = RandomArrays.Uniform(10 * 3, 1);
        int[] order = [9, 0, 4, 4, 7, 2];
        var indices = backend.AllocateIndices(order.Length);
        backend.Upload(order, indices);
        var destination = backend.Allocate(3, 3);

        backend.GatherRows(backend.Upload(source, 10, 3), indices, first: 2, destination);

        float[] expected = new float[9];
        GatherReference.Rows(source, order, 2, 3, expected);
        Assert.That(backend.Download(destination), Is.EqualTo(expected));
        Assert.That(expected[..3], Is.EqualTo(source[12..15]), "row 4");
    }
}
