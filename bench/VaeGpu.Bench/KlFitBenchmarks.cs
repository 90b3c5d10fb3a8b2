using BenchmarkDotNet.Attributes;
using VaeGpu.Kernels;
using VaeGpu.Runtime;
using VaeGpu.Runtime.Experiments.KlFit;
using VaeGpu.Runtime.Devices;

namespace VaeGpu.Bench;

/// <summary>
/// The KL-fit kernels (vaegpu kl-fit) on one backend: mixture samples, the three per-sample gradient estimators of the
/// Gaussian q, and the mixture q's reverse-KL terms (an inverse CDF by Newton per draw), on the default target (two components). Throughput in million samples/s from Length per call.
/// </summary>
public abstract class KlFitBenchmarkBase
{
    static readonly UnivariateMixture Target = UnivariateMixture.Create([0.5, 0.5], [-2, 2], [0.6, 0.6]);

    public abstract int Length { get; set; }

    IBackend? backend;
    IKlFitOperations? operations;
    Tensor? samples, parameters, terms, renyiTerms, mixtureQ, mixtureQTerms;
    ulong stream;

    protected abstract IBackend OpenBackend();

    [GlobalSetup]
    public void Setup()
    {
        backend = OpenBackend();
        operations = KlFitOperations.For(backend);
        samples = backend.Allocate(1, Length);
        terms = backend.Allocate(2, Length);
        renyiTerms = backend.Allocate(2, Length / 32);
        parameters = backend.Allocate(1, 2);
        backend.Upload([0.5f, 0f], parameters);
        mixtureQ = backend.Allocate(1, MixtureQParameters.Count);
        mixtureQTerms = backend.Allocate(Length, MixtureQParameters.Count);
        backend.Upload([0f, -0.5f, 1.5f, 0f, 0f], mixtureQ); // the default start, between the modes
        backend.Synchronize();
    }

    [GlobalCleanup]
    public void Cleanup() => backend?.Dispose();

    // A new stream per call, as the fits draw a new minibatch per step; Synchronize so device timings include the work.
    [Benchmark]
    public void SampleMixture()
    {
        operations!.SampleMixture(Target, seed: 42, stream++, first: 0, samples!);
        backend!.Synchronize();
    }

    [Benchmark]
    public void ForwardKlTerms()
    {
        operations!.Terms(KlGradient.Forward, Target, seed: 42, stream++, first: 0, parameters!, 1f, terms!);
        backend!.Synchronize();
    }

    [Benchmark]
    public void ReverseKlScoreTerms()
    {
        operations!.Terms(KlGradient.ReverseScore, Target, seed: 42, stream++, first: 0, parameters!, 1f, terms!);
        backend!.Synchronize();
    }

    [Benchmark]
    public void ReverseKlPathwiseTerms()
    {
        operations!.Terms(KlGradient.ReversePathwise, Target, seed: 42, stream++, first: 0, parameters!, 1f, terms!);
        backend!.Synchronize();
    }

    /// <summary>The Rényi bound's path-wise terms at alpha = 0.5, groups of 32 draws.</summary>
    [Benchmark]
    public void RenyiTerms()
    {
        operations!.RenyiTerms(Target, 32, 0.5f, seed: 42, stream++, firstGroup: 0, parameters!, 1f, renyiTerms!);
        backend!.Synchronize();
    }

    [Benchmark]
    public void ReverseKlMixtureQTerms()
    {
        operations!.ReverseKlMixtureQTerms(Target, seed: 42, stream++, first: 0, mixtureQ!, 1f, mixtureQTerms!);
        backend!.Synchronize();
    }
}

/// <summary>The host path at the closed-form fit's chunk size (2^20 samples per call).</summary>
[SteadyJob]
[Config(typeof(RandomConfig))]
public class HostKlFitBenchmarks : KlFitBenchmarkBase
{
    [Params(1 << 20)]
    public override int Length { get; set; }

    protected override IBackend OpenBackend() => new VaeGpu.Runtime.HostPath.HostBackend();
}

/// <summary>ILGPU's CPU accelerator (a GPU simulator) at a small size: a check that the kernels run, not a contender.</summary>
[SimulatorJob]
[Config(typeof(RandomConfig))]
public class IlgpuCpuKlFitBenchmarks : KlFitBenchmarkBase
{
    [Params(1 << 14)]
    public override int Length { get; set; }

    protected override IBackend OpenBackend() => DeviceCatalog.Open(DeviceRequest.Parse("cpu"));
}
