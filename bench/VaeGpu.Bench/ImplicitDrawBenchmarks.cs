using BenchmarkDotNet.Attributes;
using VaeGpu.Runtime;
using VaeGpu.Runtime.Devices;
using VaeGpu.Runtime.ImplicitDraws;

namespace VaeGpu.Bench;

/// <summary>
/// Implicit draws with their gradients (ImplicitDrawKernels) on one backend: Gamma at alpha 0.5 (Marsaglia-Tsang with
/// the U^(1/alpha) boost, the gradient by the incomplete gamma's series), 5 (plain, the tail integral) and 500 (the
/// lower-tail quadrature), and von Mises at kappa 2. Throughput in million draws/s from Length per call.
/// </summary>
public abstract class ImplicitDrawBenchmarkBase
{
    public abstract int Length { get; set; }

    [Params(0.5f, 5f, 500f)]
    public float Alpha { get; set; }

    IBackend? backend;
    IImplicitDrawOperations? operations;
    Tensor? alpha, kappa, draws, derivatives;
    ulong stream;

    protected abstract IBackend OpenBackend();

    [GlobalSetup]
    public void Setup()
    {
        backend = OpenBackend();
        operations = ImplicitDrawOperations.For(backend);
        (alpha, kappa, draws, derivatives) = (backend.Allocate(Length, 1), backend.Allocate(Length, 1), backend.Allocate(Length, 1), backend.Allocate(Length, 1));
        backend.Upload([.. Enumerable.Repeat(Alpha, Length)], alpha);
        backend.Upload([.. Enumerable.Repeat(2f, Length)], kappa);
        backend.Synchronize();
    }

    [GlobalCleanup]
    public void Cleanup() => backend?.Dispose();

    [Benchmark]
    public void GammaWithGradient()
    {
        operations!.Gamma(alpha!, seed: 42, stream++, first: 0, draws!, derivatives!);
        backend!.Synchronize();
    }

    /// <summary>Independent of Alpha: one figure per run of the parameter, a check of the spread between them.</summary>
    [Benchmark]
    public void VonMisesWithGradient()
    {
        operations!.VonMises(kappa!, seed: 42, stream++, first: 0, draws!, derivatives!);
        backend!.Synchronize();
    }
}

/// <summary>The host path at the variance lab's chunk size (2^16 draws per call).</summary>
[SteadyJob]
[Config(typeof(RandomConfig))]
public class HostImplicitDrawBenchmarks : ImplicitDrawBenchmarkBase
{
    [Params(1 << 16)]
    public override int Length { get; set; }

    protected override IBackend OpenBackend() => new VaeGpu.Runtime.HostPath.HostBackend();
}

/// <summary>ILGPU's CPU accelerator (a GPU simulator) at a small size: a check that the kernels run, not a contender.</summary>
[SimulatorJob]
[Config(typeof(RandomConfig))]
public class IlgpuCpuImplicitDrawBenchmarks : ImplicitDrawBenchmarkBase
{
    [Params(1 << 12)]
    public override int Length { get; set; }

    protected override IBackend OpenBackend() => DeviceCatalog.Open(DeviceRequest.Parse("cpu"));
}
