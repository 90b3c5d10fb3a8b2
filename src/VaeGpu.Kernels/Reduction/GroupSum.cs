using ILGPU;

namespace VaeGpu.Kernels;

/// <summary>
/// The sum of one value per thread of a group, by a fixed tree in shared memory: the order of addition depends on the
/// group size alone, never on timing, so a device gives the same bits on every run. Warp shuffles would save the
/// shared round trips on CUDA but do not compile for OpenCL without subgroups (PoCL 3.1), so the tree is shared
/// memory all the way. Every thread of the group must call it; the group size must be a power of two at most
/// ReductionKernels.MaxGroupSize.
/// </summary>
public static class GroupSum
{
    /// <summary>The group's sum, valid in thread 0 (the others get partial sums).</summary>
    public static float Of(ArrayView<float> shared, float value)
    {
        int thread = Group.IdxX;
        shared[thread] = value;
        Group.Barrier();
        for (int half = Group.DimX / 2; half > 0; half /= 2)
        {
            if (thread < half) shared[thread] += shared[thread + half];
            Group.Barrier();
        }
        return shared[0];
    }
}
