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

    /// <summary>
    /// Rows, then each copied value binarised as RandomKernels.Binarize does on the destination (the same Philox block
    /// per four elements, so the same bits): the dynamic binarisation of a training batch in the gather's launch.
    /// One thread per Philox block of four destination elements.
    /// </summary>
    [Kernel]
    public static void RowsBinarized(Index1D block, ArrayView<float> source, ArrayView<int> indices, int first, int columns,
        ArrayView<float> destination, ulong seed, ulong stream)
    {
        var bits = Philox4x32.ForBlock(seed, stream, block);
        int element = 4 * block;
        CopyBinarized(source, indices, first, columns, destination, element, bits.X0);
        CopyBinarized(source, indices, first, columns, destination, element + 1, bits.X1);
        CopyBinarized(source, indices, first, columns, destination, element + 2, bits.X2);
        CopyBinarized(source, indices, first, columns, destination, element + 3, bits.X3);
    }

    static void CopyBinarized(ArrayView<float> source, ArrayView<int> indices, int first, int columns, ArrayView<float> destination, int element, uint bits)
    {
        if (element >= destination.Length) return;
        int row = element / columns, column = element - row * columns;
        destination[element] = RandomMath.Binarized(source[(long)indices[first + row] * columns + column], bits);
    }
}
