using BenchmarkDotNet.Attributes;
using VaeGpu.Host.Training;
using VaeGpu.Runtime;
using VaeGpu.Runtime.Devices;
namespace VaeGpu.Bench;

/// <summary>A whole canonical training step: gather, gradients (forward, likelihood, backward) and Adam. Napkin math: a step's products are ~0.42 GFLOP (~196 GFLOP per 469-step epoch; the input layer needs no input gradient), so at OpenBLAS's ~200 GFLOP/s here a step cannot take much under 2 ms.</summary>
public abstract class TrainingStepBenchmarks : CanonicalShapes
{
    TrainingStep step = null!;

    [GlobalSetup]
    public void Setup()
    {
        SetupCanonical();
        step = new TrainingStep(Backend, Model, new Adam(Backend, Model.Layout.Count, 1e-3f));
    }

    [GlobalCleanup]
    public void GlobalCleanup() => Cleanup();

    [Benchmark]
    public void TrainingStep()
    {
        step.Run(Buffers, Images, Order, 0, seed: 1, stream: (ulong)step.Optimizer.Steps);
        Backend.Synchronize();
    }
}

/// <summary>The host path: the one users without a GPU run.</summary>
[SteadyJob]
[Config(typeof(CanonicalShapesConfig))]
public class HostTrainingStepBenchmarks : TrainingStepBenchmarks
{
    protected override IBackend CreateBackend() => new VaeGpu.Runtime.HostPath.HostBackend();
}

/// <summary>ILGPU's CPU accelerator (a GPU simulator): the same kernels a GPU runs, for comparison, not speed.</summary>
[SimulatorJob]
[Config(typeof(CanonicalShapesConfig))]
public class IlgpuCpuTrainingStepBenchmarks : TrainingStepBenchmarks
{
    protected override IBackend CreateBackend() => DeviceCatalog.Open(DeviceRequest.Parse("cpu"));
}
