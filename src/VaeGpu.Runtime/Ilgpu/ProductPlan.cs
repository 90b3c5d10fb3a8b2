using ILGPU;
using VaeGpu.Kernels;

namespace VaeGpu.Runtime.Ilgpu;

/// <summary>
/// How a product is launched with the register-blocked kernels: a group per 64 x 64 block of C, times the splits of K.
/// A pure function of the shape (and of whether the device runs split-K), so tests and bench see the plan a GPU runs.
/// </summary>
public readonly record struct ProductPlan(int BlocksAcross, int BlocksDown, int Splits, int DepthPerSplit)
{
    /// <summary>
    /// Groups a product should fill before it is split along K: an H100's or H200's 132 SMs. Fixed rather than read
    /// from the device so that a product's split, hence its summation order and bits, is the same on every CUDA device.
    /// </summary>
    public const int TargetGroups = 132;

    public long Groups => (long)BlocksAcross * BlocksDown * Splits;

    /// <summary>The launch grid: blocks of C's columns, of its rows, and the splits of K.</summary>
    internal Index3D Grid => new(BlocksAcross, BlocksDown, Splits);

    public static ProductPlan For(MatMulShape shape, bool splitK)
    {
        var (splits, depth) = splitK ? MatMulKernels.SplitK(shape.M, shape.N, shape.K, TargetGroups) : (1, shape.K);
        int edge = MatMulKernels.BlockEdge;
        return new ProductPlan((shape.N + edge - 1) / edge, (shape.M + edge - 1) / edge, splits, depth);
    }
}
