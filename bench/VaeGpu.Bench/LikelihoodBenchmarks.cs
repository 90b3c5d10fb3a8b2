using BenchmarkDotNet.Attributes;
using VaeGpu.Kernels;
using VaeGpu.Runtime;
using VaeGpu.Runtime.Devices;
using VaeGpu.Runtime.Likelihood;

namespace VaeGpu.Bench;

/// <summary>The likelihood family on the canonical decoder output (128 x 784): each reads two 0.4 MB tensors and writes one, plus (Bernoulli) an exp and a log per pixel.</summary>
public abstract class LikelihoodBenchmarks : CanonicalShapes
{
    ILikelihoodOperations operations = null!;

    [GlobalSetup]
    public void Setup()
    {
        SetupCanonical();
        operations = LikelihoodOperations.For(Backend);
    }

    [GlobalCleanup]
    public void GlobalCleanup() => Cleanup();

    [Benchmark]
    public void Bernoulli()
    {
        var b = Buffers;
        operations.Bernoulli(b.Output, b.X, 1f / Batch, b.DOutput, b.NllPerRow, b.KlPerRow, Model.RunningSums);
        Backend.Synchronize();
    }

    [Benchmark]
    public void Gaussian()
    {
        var b = Buffers;
        operations.Gaussian(b.Output, b.X, 0.1f, 1f / Batch, b.DOutput, b.NllPerRow, b.KlPerRow, Model.RunningSums);
        Backend.Synchronize();
    }
}

/// <summary>The host path: the one users without a GPU run.</summary>
[SteadyJob]
[Config(typeof(CanonicalShapesConfig))]
public class HostLikelihoodBenchmarks : LikelihoodBenchmarks
{
    protected override IBackend CreateBackend() => new VaeGpu.Runtime.HostPath.HostBackend();
}

/// <summary>ILGPU's CPU accelerator (a GPU simulator): the same kernels a GPU runs, for comparison, not speed.</summary>
[SimulatorJob]
[Config(typeof(CanonicalShapesConfig))]
public class IlgpuCpuLikelihoodBenchmarks : LikelihoodBenchmarks
{
    protected override IBackend CreateBackend() => DeviceCatalog.Open(DeviceRequest.Parse("cpu"));
}
