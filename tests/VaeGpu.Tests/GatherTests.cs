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

    /// <summary>The fused gather and binarisation gives the bits of GatherRows then Binarize, odd lengths included.</summary>
    [TestCaseSource(typeof(Backends), nameof(Backends.All))]
    public void GatherRowsBinarizedEqualsGatherThenBinarize(string backendName)
    {
        var backend = Backends.Get(backendName);
        float[] source = RandomArrays.Uniform(11 * 7, 2, low: 0f, high: 1f);
        int[] order = [10, 3, 3, 0, 8];
        var indices = backend.AllocateIndices(order.Length);
        backend.Upload(order, indices);
        var sourceTensor = backend.Upload(source, 11, 7);
        var (fused, separate) = (backend.Allocate(5, 7), backend.Allocate(5, 7));

        backend.GatherRowsBinarized(sourceTensor, indices, first: 0, fused, seed: 5, stream: 9);
        backend.GatherRows(sourceTensor, indices, first: 0, separate);
        backend.Binarize(separate, seed: 5, stream: 9);

        float[] expected = new float[35];
        GatherReference.Rows(source, order, 0, 7, expected);
        RandomReference.Binarize(expected, 5, 9);
        Assert.That(backend.Download(fused), Is.EqualTo(backend.Download(separate)));
        Assert.That(backend.Download(fused), Is.EqualTo(expected));
    }
}
