using BenchmarkDotNet.Attributes;
using VaeGpu.Runtime;
using VaeGpu.Runtime.Devices;

namespace VaeGpu.Bench;

/// <summary>
/// The matrix-product kernel on ILGPU's CPU accelerator, a GPU simulator (~0.2 GFLOP/s, ~0.4 s per call at the
/// larger shapes): it is here to show the distance to the host path, not as a contender, hence the short job.
/// Timing includes Synchronize, since launches only queue work.
/// </summary>
[SimulatorJob]
[Config(typeof(MatMulConfig))]
public class IlgpuCpuMatMulBenchmarks : MatMulBenchmarkBase
{
    Operands? operands;

    [GlobalSetup(Target = nameof(IlgpuCpu))]
    public void SetupIlgpuCpu()
    {
        // Creating the context, the accelerator and compiling the kernels happens here, outside the measurements.
        operands = Upload(DeviceCatalog.Open(DeviceRequest.Parse("cpu")));
        CheckAgainstOpenBlas(operands);
    }

    // Disposing the backend disposes its accelerator and then the ILGPU context (threads of the simulator).
    [GlobalCleanup(Target = nameof(IlgpuCpu))]
    public void Cleanup() => operands?.Backend.Dispose();

    [Benchmark]
    public void IlgpuCpu() => operands!.Run(Shape);
}
