using BenchmarkDotNet.Attributes;
using VaeGpu.Kernels;
using VaeGpu.Runtime;
using VaeGpu.Runtime.Devices;
namespace VaeGpu.Bench;

/// <summary>GatherRows of one canonical batch (128 x 784 floats, 0.4 MB each way): memory-bound, tens of microseconds.</summary>
public abstract class GatherBenchmarks : CanonicalShapes
{
    [GlobalSetup]
    public void Setup() => SetupCanonical();

    [GlobalCleanup]
    public void GlobalCleanup() => Cleanup();

    [Benchmark]
    public void GatherRows()
    {
        Backend.GatherRows(Images, Order, 0, Buffers.X);
        Backend.Synchronize();
    }
}

/// <summary>The host path: the one users without a GPU run.</summary>
[SteadyJob]
[Config(typeof(CanonicalShapesConfig))]
public class HostGatherBenchmarks : GatherBenchmarks
{
    protected override IBackend CreateBackend() => new VaeGpu.Runtime.HostPath.HostBackend();
}

/// <summary>ILGPU's CPU accelerator (a GPU simulator): the same kernels a GPU runs, for comparison, not speed.</summary>
[SimulatorJob]
[Config(typeof(CanonicalShapesConfig))]
public class IlgpuCpuGatherBenchmarks : GatherBenchmarks
{
    protected override IBackend CreateBackend() => DeviceCatalog.Open(DeviceRequest.Parse("cpu"));
}
