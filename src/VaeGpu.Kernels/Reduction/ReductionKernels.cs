using ILGPU;

namespace VaeGpu.Kernels;

/// <summary>
/// Sums whose order of addition is fixed by the launch geometry alone, never by thread timing: no atomics, so a
/// given device gives bit-identical results on every run. Reference: ReductionReference.
/// </summary>
public static class ReductionKernels
{
    /// <summary>Largest group the partial-sum kernel supports (its shared-memory array has this many slots).</summary>
    public const int MaxGroupSize = 256;

    /// <summary>One thread per column, adding the column's elements top to bottom (adjacent threads read adjacent addresses).</summary>
    [Kernel]
    public static void SumColumns(Index1D column, ArrayView<float> x, int rows, ArrayView<float> columnSums)
    {
        int columns = (int)columnSums.Length;
        float sum = 0f;
        for (int r = 0; r < rows; r++) sum += x[r * columns + column];
        columnSums[column] = sum;
    }

    /// <summary>
    /// Stage one of a full sum: each thread adds a grid-strided slice of x (squared when <paramref name="square"/> is 1),
    /// then the group folds its threads' sums in a fixed tree and writes one partial per group. Running the kernel
    /// again with one group over the partials finishes the sum. The group size must be a power of two no larger than
    /// MaxGroupSize.
    /// </summary>
    [Kernel(KernelGrouping.Explicit)]
    public static void PartialSums(ArrayView<float> x, ArrayView<float> partials, int square)
    {
        var shared = SharedMemory.Allocate<float>(MaxGroupSize);
        int thread = Group.IdxX;
        int stride = Grid.DimX * Group.DimX;
        float sum = 0f;
        for (long i = Grid.IdxX * Group.DimX + thread; i < x.Length; i += stride)
            sum += square == 1 ? x[i] * x[i] : x[i];
        float total = GroupSum.Of(shared, sum);
        if (thread == 0) partials[Grid.IdxX] = total;
    }
}
