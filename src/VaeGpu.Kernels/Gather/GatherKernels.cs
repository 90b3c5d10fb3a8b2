using ILGPU;

namespace VaeGpu.Kernels;

/// <summary>
/// Copies the rows a minibatch needs out of a data set that stays on the device, so a training step uploads nothing.
/// Reference: GatherReference.
/// </summary>
public static class GatherKernels
{
    /// <summary>destination row r = source row indices[first + r]; one thread per destination element.</summary>
    [Kernel]
    public static void Rows(Index1D index, ArrayView<float> source, ArrayView<int> indices, int first, int columns,
        ArrayView<float> destination)
    {
        int row = index / columns, column = index % columns;
        destination[index] = source[(long)indices[first + row] * columns + column];
    }
}
