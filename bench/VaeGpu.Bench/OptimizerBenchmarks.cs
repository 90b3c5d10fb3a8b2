using BenchmarkDotNet.Attributes;
using VaeGpu.Host.Training;
using VaeGpu.Runtime;
using VaeGpu.Runtime.Devices;
namespace VaeGpu.Bench;

/// <summary>The optimisers over the canonical model's 652k parameters: Adam reads four 2.6 MB tensors and writes three, SGD reads two and writes one; memory-bound.</summary>
public abstract class OptimizerBenchmarks : CanonicalShapes
{
    IOptimizer adam = null!, sgd = null!;

    [GlobalSetup]
    public void Setup()
    {
        SetupCanonical();
        adam = new Adam(Backend, Model.Layout.Count, 1e-3f);
        sgd = new Sgd(Backend, 1e-6f);
    }

    [GlobalCleanup]
    public void GlobalCleanup() => Cleanup();

    [Benchmark]
    public void Adam()
    {
        adam.Update(Model.Parameters, Model.Gradients);
        Backend.Synchronize();
    }

    [Benchmark]
    public void Sgd()
    {
        sgd.Update(Model.Parameters, Model.Gradients);
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
