using BenchmarkDotNet.Attributes;
using VaeGpu.Kernels;
using VaeGpu.Runtime;
using VaeGpu.Runtime.Devices;
using VaeGpu.Runtime.Reparameterization;

namespace VaeGpu.Bench;

/// <summary>The reparameterisation family at the canonical latent shape (128 x 20): forward, then the path-wise backward. A few kB, so launch and loop overheads dominate.</summary>
public abstract class ReparameterizationBenchmarks : CanonicalShapes
{
    IReparameterizationOperations operations = null!;

    [GlobalSetup]
    public void Setup()
    {
        SetupCanonical();
        operations = ReparameterizationOperations.For(Backend);
    }

    [GlobalCleanup]
    public void GlobalCleanup() => Cleanup();

    [Benchmark]
    public void ForwardAndBackward()
    {
        var b = Buffers;
        operations.Forward(b.Head, 1, 2, b.Z, b.KlPerRow, b.LogDensityRatioPerRow);
        operations.Backward(b.Head, 1, 2, b.DZ, b.DHead, new EncoderEstimatorScalars { Kind = GradientEstimator.Pathwise, KlWeight = 1f / Batch });
        Backend.Synchronize();
    }
}

/// <summary>The host path: the one users without a GPU run.</summary>
[SteadyJob]
[Config(typeof(CanonicalShapesConfig))]
public class HostReparameterizationBenchmarks : ReparameterizationBenchmarks
{
    protected override IBackend CreateBackend() => new VaeGpu.Runtime.HostPath.HostBackend();
}

/// <summary>ILGPU's CPU accelerator (a GPU simulator): the same kernels a GPU runs, for comparison, not speed.</summary>
[SimulatorJob]
[Config(typeof(CanonicalShapesConfig))]
public class IlgpuCpuReparameterizationBenchmarks : ReparameterizationBenchmarks
{
    protected override IBackend CreateBackend() => DeviceCatalog.Open(DeviceRequest.Parse("cpu"));
}
