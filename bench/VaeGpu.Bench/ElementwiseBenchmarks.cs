using BenchmarkDotNet.Attributes;
using VaeGpu.Kernels;
using VaeGpu.Runtime;
using VaeGpu.Runtime.Devices;
namespace VaeGpu.Bench;

/// <summary>AddRowBias on a canonical decoder output (128 x 784, 0.4 MB read and written): memory-bound.</summary>
public abstract class ElementwiseBenchmarks : CanonicalShapes
{
    Tensor bias = null!;

    [GlobalSetup]
    public void Setup()
    {
        SetupCanonical();
        bias = Backend.View(Model.Parameters, Model.Layout.Decoder[^1].BiasOffset, 1, 784);
    }

    [GlobalCleanup]
    public void GlobalCleanup() => Cleanup();

    [Benchmark]
    public void AddRowBias()
    {
        Backend.AddRowBias(Buffers.Output, bias);
        Backend.Synchronize();
    }
}

/// <summary>The host path: the one users without a GPU run.</summary>
[SteadyJob]
[Config(typeof(CanonicalShapesConfig))]
public class HostElementwiseBenchmarks : ElementwiseBenchmarks
{
    protected override IBackend CreateBackend() => new VaeGpu.Runtime.HostPath.HostBackend();
}

/// <summary>ILGPU's CPU accelerator (a GPU simulator): the same kernels a GPU runs, for comparison, not speed.</summary>
[SimulatorJob]
[Config(typeof(CanonicalShapesConfig))]
public class IlgpuCpuElementwiseBenchmarks : ElementwiseBenchmarks
{
    protected override IBackend CreateBackend() => DeviceCatalog.Open(DeviceRequest.Parse("cpu"));
}
