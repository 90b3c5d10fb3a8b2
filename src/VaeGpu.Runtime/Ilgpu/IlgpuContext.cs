using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;

namespace VaeGpu.Runtime.Ilgpu;

/// <summary>The one place the ILGPU context is configured.</summary>
static class IlgpuContext
{
    /// <summary>
    /// The CPU accelerator, CUDA, and every OpenCL device (ILGPU's default hides the incompatible ones; we list them
    /// so `vaegpu devices` can say why they cannot be used, and refuse them when opening a backend); O2 (ILGPU's default O1 is slower); algorithms enabled, without which MathF.Log/Exp/Sin
    /// do not compile for GPU backends; 32-bit fast math so float code stays in f32 approximate instructions on PTX.
    /// Profiling is on so that IBackend.DeviceTime can place device timestamps (events); nothing is timed unless asked.
    /// The CUDA driver is resolved first (CudaDriver), so that a machine with only libcuda.so.1 still finds its GPUs.
    /// </summary>
    /// <param name="cpuDevice">The CPU accelerator's shape; ILGPU's default allows 16 threads per group.</param>
    public static Context Create(CPUDevice? cpuDevice = null)
    {
        CudaDriver.Register();
        return Context.Create(builder => builder
            .CPU(cpuDevice ?? CPUDevice.Default)
            .Cuda()
            .OpenCL(_ => true)
            .EnableAlgorithms()
            .Profiling()
            .Optimize(OptimizationLevel.O2)
            .Math(MathMode.Fast32BitOnly));
    }
}
