using ILGPU;

namespace VaeGpu.Kernels;

/// <summary>
/// Random fills from counter-based Philox: thread b computes block b and writes elements 4b .. 4b+3, so the value
/// of element e depends only on (seed, stream, e), never on the device or the launch geometry.
/// Reference: RandomReference.
/// </summary>
public static class RandomKernels
{
    [Kernel]
    public static void FillUniform(Index1D block, ArrayView<float> output, ulong seed, ulong stream)
    {
        var bits = Philox4x32.ForBlock(seed, stream, block);
        long first = 4L * block;
        if (first < output.Length) output[first] = RandomMath.Uniform(bits.X0);
        if (first + 1 < output.Length) output[first + 1] = RandomMath.Uniform(bits.X1);
        if (first + 2 < output.Length) output[first + 2] = RandomMath.Uniform(bits.X2);
        if (first + 3 < output.Length) output[first + 3] = RandomMath.Uniform(bits.X3);
    }

    /// <summary>The four normals of each block (NormalBlock: Box-Muller on the pairs (X0, X1) and (X2, X3)).</summary>
    [Kernel]
    public static void FillNormal(Index1D block, ArrayView<float> output, ulong seed, ulong stream)
    {
        var normals = NormalBlock.At(seed, stream, block);
        long first = 4L * block;
        if (first < output.Length) output[first] = normals.N0;
        if (first + 1 < output.Length) output[first + 1] = normals.N1;
        if (first + 2 < output.Length) output[first + 2] = normals.N2;
        if (first + 3 < output.Length) output[first + 3] = normals.N3;
    }

    /// <summary>
    /// x = RandomMath.Binarized(x, bits of element e): each value replaced by a Bernoulli draw with that mean (the
    /// dynamic binarisation of grey-level images), from the same Philox integers as FillUniform.
    /// </summary>
    [Kernel]
    public static void Binarize(Index1D block, ArrayView<float> x, ulong seed, ulong stream)
    {
        var bits = Philox4x32.ForBlock(seed, stream, block);
        long first = 4L * block;
        if (first < x.Length) x[first] = RandomMath.Binarized(x[first], bits.X0);
        if (first + 1 < x.Length) x[first + 1] = RandomMath.Binarized(x[first + 1], bits.X1);
        if (first + 2 < x.Length) x[first + 2] = RandomMath.Binarized(x[first + 2], bits.X2);
        if (first + 3 < x.Length) x[first + 3] = RandomMath.Binarized(x[first + 3], bits.X3);
    }

    /// <summary>Number of Philox blocks (threads) needed to fill <paramref name="length"/> elements.</summary>
    public static int BlockCount(long length) => checked((int)((length + 3) / 4));
}
