using BenchmarkDotNet.Attributes;
using VaeGpu.Kernels;
using VaeGpu.Runtime;
using VaeGpu.Runtime.Experiments.MonteCarlo;
using VaeGpu.Runtime.Devices;

namespace VaeGpu.Bench;

/// <summary>
/// The kernels of `vaegpu mc` on one backend: the integrand alone (exp, the costliest f, and the indicator) and one
/// whole chunk of an estimate (integrand, Sum, SumOfSquares and the download of the two totals). Throughput in million
/// samples/s from Length per call.
/// </summary>
public abstract class MonteCarloBenchmarkBase
{
    public abstract int Length { get; set; }

    IBackend? backend;
    IMonteCarloOperations? monteCarlo;
    Tensor? values, totals, sum, sumOfSquares, importanceTerms;
    readonly float[] downloaded = new float[2];
    ulong stream;

    protected abstract IBackend OpenBackend();

    [GlobalSetup]
    public void Setup()
    {
        backend = OpenBackend();
        monteCarlo = MonteCarloOperations.For(backend);
        values = backend.Allocate(Length, 1);
        importanceTerms = backend.Allocate(3, Length);
        totals = backend.Allocate(1, 2);
        sum = backend.View(totals, 0, 1, 1);
        sumOfSquares = backend.View(totals, 1, 1, 1);
        backend.Synchronize();
    }

    [GlobalCleanup]
    public void Cleanup() => backend?.Dispose();

    // A new stream per call, as every chunk of an estimate draws fresh samples; Synchronize so device timings include the work.
    [Benchmark]
    public void IntegrandExp()
    {
        monteCarlo!.Integrand(GaussianIntegrand.Exp, 0.5f, 1.5f, seed: 42, stream++, values!);
        backend!.Synchronize();
    }

    [Benchmark]
    public void IntegrandPositive()
    {
        monteCarlo!.Integrand(GaussianIntegrand.Positive, 0.5f, 1.5f, seed: 42, stream++, values!);
        backend!.Synchronize();
    }

    /// <summary>The same integrand with the normals of a sampler (`vaegpu mc --sampler`), one replicate of Length points.</summary>
    [Benchmark]
    [Arguments(Sampler.Antithetic)]
    [Arguments(Sampler.Stratified)]
    [Arguments(Sampler.Rqmc)]
    public void SampledIntegrandExp(Sampler sampler)
    {
        monteCarlo!.SampledIntegrand(GaussianIntegrand.Exp, sampler, 0.5f, 1.5f, seed: 42, stream++, 0, Length, 0, 0f, values!);
        backend!.Synchronize();
    }

    /// <summary>Importance-sampling terms (w f, w, w^2 f) of the rare event from N(4.5, 1) (`vaegpu mc --proposal`).</summary>
    [Benchmark]
    public void ImportanceTermsAbove4()
    {
        monteCarlo!.ImportanceTerms(GaussianIntegrand.Above4, 0f, 1f, 4.5f, 1f, seed: 42, stream++, 0, importanceTerms!);
        backend!.Synchronize();
    }

    [Benchmark]
    public void EstimateChunkExp()
    {
        monteCarlo!.Integrand(GaussianIntegrand.Exp, 0.5f, 1.5f, seed: 42, stream++, values!);
        backend!.Sum(values!, sum!);
        backend.SumOfSquares(values!, sumOfSquares!);
        backend.Download(totals!, downloaded);
    }
}

/// <summary>The host path at the experiments' chunk size (2^20 samples per call).</summary>
[SteadyJob]
[Config(typeof(RandomConfig))]
public class HostMonteCarloBenchmarks : MonteCarloBenchmarkBase
{
    [Params(1 << 20)]
    public override int Length { get; set; }

    protected override IBackend OpenBackend() => new VaeGpu.Runtime.HostPath.HostBackend();
}

/// <summary>ILGPU's CPU accelerator (a GPU simulator) on a small size: a check of the kernel path's cost, not a contender.</summary>
[SimulatorJob]
[Config(typeof(RandomConfig))]
public class IlgpuCpuMonteCarloBenchmarks : MonteCarloBenchmarkBase
{
    [Params(1 << 14)]
    public override int Length { get; set; }

    protected override IBackend OpenBackend() => DeviceCatalog.Open(DeviceRequest.Parse("cpu"));
}
