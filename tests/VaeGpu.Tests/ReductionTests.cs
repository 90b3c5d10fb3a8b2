using ILGPU;
using ILGPU.Runtime;
using VaeGpu.Kernels;

namespace VaeGpu.Tests;

/// <summary>Sums against ReductionReference (double accumulation); float error over n terms stays below 1e-5 relative here.</summary>
public class ReductionTests
{
    [TestCaseSource(typeof(Backends), nameof(Backends.All))]
    public void ColumnSums(string backendName)
    {
        var backend = Backends.Get(backendName);
        const int rows = 19, columns = 53;
        float[] x = RandomArrays.Uniform(rows * columns, 1);
        var tensor = backend.Upload(x, rows, columns);
        var columnSums = backend.Allocate(1, columns);

        backend.SumColumns(tensor, columnSums);

        Assert.That(backend.Download(columnSums), Is.EqualTo(ReductionReference.SumColumns(x, rows, columns)).Within(1e-5f));
    }

    [TestCaseSource(typeof(Backends), nameof(Backends.All))]
    public void FullSumsAreAccurateAndRepeatable(string backendName)
    {
        var backend = Backends.Get(backendName);
        foreach (int length in new[] { 1, 5, 1000, 100_003 })
        {
            float[] x = RandomArrays.Uniform(length, length);
            var tensor = backend.Upload(x, 1, length);
            var sum = backend.Allocate(1, 1);
            var sumOfSquares = backend.Allocate(1, 1);

            backend.Sum(tensor, sum);
            backend.SumOfSquares(tensor, sumOfSquares);
            float first = backend.Download(sum)[0];
            backend.Sum(tensor, sum);

            Assert.That(first, Is.EqualTo(ReductionReference.Sum(x)).Within(1e-5 * Math.Sqrt(length) + 1e-6), $"sum of {length}");
            Assert.That(backend.Download(sumOfSquares)[0], Is.EqualTo(ReductionReference.SumOfSquares(x)).Within(1e-5 * length / 3), $"squares of {length}");
            Assert.That(backend.Download(sum)[0], Is.EqualTo(first), "same input, same bits");
        }
    }

    /// <summary>The partial-sum kernel at GPU group sizes (the backend on the CPU accelerator only uses 16).</summary>
    [TestCase(32)]
    [TestCase(256)]
    public void PartialSumsKernelAtGpuGroupSizes(int groupSize)
    {
        using var host = Backends.WideCpuAccelerator();
        var kernel = host.Accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, int>(ReductionKernels.PartialSums);
        float[] x = RandomArrays.Uniform(10_007, 9);
        using var input = host.Accelerator.Allocate1D(x);
        using var partials = host.Accelerator.Allocate1D<float>(4);
        using var total = host.Accelerator.Allocate1D<float>(1);

        kernel(new KernelConfig(4, groupSize), input.View, partials.View, 1);
        kernel(new KernelConfig(1, groupSize), partials.View.SubView(0, 4), total.View, 0);

        Assert.That(total.GetAsArray1D()[0], Is.EqualTo(ReductionReference.SumOfSquares(x)).Within(1e-5 * x.Length / 3));
    }
}
