using BenchmarkDotNet.Attributes;
using VaeGpu.Kernels;
using VaeGpu.Runtime;
using VaeGpu.Runtime.Devices;
using VaeGpu.Runtime.Experiments.ElboGap;

namespace VaeGpu.Bench;

/// <summary>
/// The kernel of `vaegpu elbo-gap`: the ELBO terms of the default model (d = 5, k = 2) for Length samples, each a
/// k-dimensional draw, a d x k product and a d-term log-density. Throughput in million samples/s from Length per call.
/// </summary>
public abstract class ElboGapBenchmarkBase
{
    public abstract int Length { get; set; }

    IBackend? backend;
    IElboGapOperations? elboGap;
    Tensor? values, parameters, z;
    readonly ElboGapShape shape = new() { Observed = 5, Latent = 2, InverseNoiseVariance = 1f, Offset = 0.5f };
    ulong stream;

    protected abstract IBackend OpenBackend();

    [GlobalSetup]
    public void Setup()
    {
        backend = OpenBackend();
        elboGap = ElboGapOperations.For(backend);
        values = backend.Allocate(Length, 1);
        z = backend.Allocate(Length, shape.Latent);
        parameters = backend.Allocate(shape.ParameterCount, 1);
        // Any finite model will do for timing; a positive factor diagonal as a Cholesky factor has.
        float[] model = [.. Enumerable.Range(0, shape.ParameterCount).Select(i => 0.1f * (i % 7) + 0.2f)];
        backend.Upload(model, parameters);
        backend.Synchronize();
    }

    [GlobalCleanup]
    public void Cleanup() => backend?.Dispose();

    // A new stream per call, as every chunk of an estimate draws fresh samples; Synchronize so device timings include the work.
    [Benchmark]
    public void ElboTerms()
    {
        elboGap!.Terms(parameters!, shape, seed: 42, stream++, z!, values!);
        backend!.Synchronize();
    }
}

/// <summary>The host path at the experiment's chunk size (2^20 samples per call).</summary>
[SteadyJob]
[Config(typeof(RandomConfig))]
public class HostElboGapBenchmarks : ElboGapBenchmarkBase
{
    [Params(1 << 20)]
    public override int Length { get; set; }

    protected override IBackend OpenBackend() => new VaeGpu.Runtime.HostPath.HostBackend();
}

/// <summary>ILGPU's CPU accelerator (a GPU simulator) on a small size: a check of the kernel path's cost, not a contender.</summary>
[SimulatorJob]
[Config(typeof(RandomConfig))]
public class IlgpuCpuElboGapBenchmarks : ElboGapBenchmarkBase
{
    [Params(1 << 14)]
    public override int Length { get; set; }

    protected override IBackend OpenBackend() => DeviceCatalog.Open(DeviceRequest.Parse("cpu"));
}
