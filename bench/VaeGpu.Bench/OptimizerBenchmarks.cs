using BenchmarkDotNet.Attributes;
using VaeGpu.Kernels;
using VaeGpu.Runtime;
using VaeGpu.Runtime.Devices;
namespace VaeGpu.Bench;

/// <summary>The optimisers over the canonical model's 652k parameters: Adam reads four 2.6 MB tensors and writes three, SGD reads two and writes one; memory-bound.</summary>
public abstract class OptimizerBenchmarks : CanonicalShapes
{
    int step;

    [GlobalSetup]
    public void Setup() => SetupCanonical();

    [GlobalCleanup]
    public void GlobalCleanup() => Cleanup();

    [Benchmark]
    public void Adam()
    {
        Backend.AdamUpdate(Model.Parameters, Model.Gradients, Model.FirstMoments, Model.SecondMoments, AdamStep.Create(1e-3f, ++step));
        Backend.Synchronize();
    }

    [Benchmark]
    public void Sgd()
    {
        Backend.SgdUpdate(Model.Parameters, Model.Gradients, 1e-6f);
        Backend.Synchronize();
    }
}

/// <summary>The host path: the one users without a GPU run.</summary>
[SteadyJob]
[Config(typeof(CanonicalShapesConfig))]
public class HostOptimizerBenchmarks : OptimizerBenchmarks
{
    protected override IBackend CreateBackend() => new VaeGpu.Runtime.HostPath.HostBackend();
}

/// <summary>ILGPU's CPU accelerator (a GPU simulator): the same kernels a GPU runs, for comparison, not speed.</summary>
[SimulatorJob]
[Config(typeof(CanonicalShapesConfig))]
public class IlgpuCpuOptimizerBenchmarks : OptimizerBenchmarks
{
    protected override IBackend CreateBackend() => DeviceCatalog.Open(DeviceRequest.Parse("cpu"));
}
