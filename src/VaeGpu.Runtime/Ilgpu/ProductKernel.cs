namespace VaeGpu.Runtime.Ilgpu;

/// <summary>The matrix-product kernels an ILGPU backend can launch (MatMulKernels).</summary>
enum ProductKernel
{
    /// <summary>One thread per element: the CPU accelerator's, where group barriers are OS-thread barriers.</summary>
    Naive,
    /// <summary>The 16 x 16 shared-memory kernel the GPU path used before RegisterBlocked; kept as bench's baseline.</summary>
    Tiled,
    /// <summary>64 x 64 blocks, 4 x 4 outputs per thread, split-K: every GPU and OpenCL product.</summary>
    RegisterBlocked,
}
