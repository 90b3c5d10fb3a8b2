using ILGPU;
using VaeGpu.Kernels;

namespace VaeGpu.Runtime.Ilgpu;

/// <summary>
/// How a product is launched with the register-blocked kernels: a group per 64 x 64 block of C, times the splits of K.
/// A pure function of the shape (and of whether the device runs split-K), so tests and bench see the plan a GPU runs.
/// </summary>
public readonly record struct ProductPlan(Index3D Grid, int Splits, int DepthPerSplit)
{
    /// <summary>
    /// Groups a product should fill before it is split along K: an H100's or H200's 132 SMs. Fixed rather than read
    /// from the device so that a product's split, hence its summation order and bits, is the same on every CUDA device.
    /// </summary>
    public const int TargetGroups = 132;

    public long Groups => Grid.Size;

    public static ProductPlan For(MatMulShape shape, bool splitK)
    {
        var (splits, depth) = splitK ? MatMulKernels.SplitK(shape.M, shape.N, shape.K, TargetGroups) : (1, shape.K);
        int edge = MatMulKernels.BlockEdge;
        return new ProductPlan(new Index3D((shape.N + edge - 1) / edge, (shape.M + edge - 1) / edge, splits), splits, depth);
    }
}
