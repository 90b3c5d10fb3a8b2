using BenchmarkDotNet.Attributes;
using VaeGpu.Kernels;
using VaeGpu.Runtime;
using VaeGpu.Runtime.Devices;
namespace VaeGpu.Bench;

/// <summary>A whole canonical training step: gather, gradients (forward, likelihood, backward) and Adam. Napkin math: a step's products are ~0.42 GFLOP (~196 GFLOP per 469-step epoch; the input layer needs no input gradient), so at OpenBLAS's ~200 GFLOP/s here a step cannot take much under 2 ms.</summary>
public abstract class TrainingStepBenchmarks : CanonicalShapes
{
    int step;

    [GlobalSetup]
    public void Setup() => SetupCanonical();

    [GlobalCleanup]
    public void GlobalCleanup() => Cleanup();

    [Benchmark]
    public void TrainingStep()
    {
        ulong stream = (ulong)step++;
        Backend.GatherRows(Images, Order, 0, Buffers.X);
        Model.ComputeGradients(Buffers, 1, stream, klWeight: 1f, GradientEstimator.Pathwise);
        Backend.AdamUpdate(Model.Parameters, Model.Gradients, Model.FirstMoments, Model.SecondMoments, AdamStep.Create(1e-3f, step));
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
