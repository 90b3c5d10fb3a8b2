using BenchmarkDotNet.Attributes;
using VaeGpu.Kernels;
using VaeGpu.Runtime;
using VaeGpu.Runtime.Experiments.GradientEstimators;
using VaeGpu.Runtime.Devices;

namespace VaeGpu.Bench;

/// <summary>
/// The kernels of `vaegpu variance gaussian` on one backend, per estimator, for cos(k x) (the costliest f and f'):
/// the per-sample terms of both parameters alone, and one whole chunk of a run (terms, Sum and SumOfSquares of both
/// rows, and the download of the four totals). Throughput in million samples/s from Length per call, each sample
/// giving both the d/dmu and the d/dsigma term.
/// </summary>
public abstract class GradientEstimatorBenchmarkBase
{
    public abstract int Length { get; set; }

    [Params(GradientEstimator.Score, GradientEstimator.ScoreBaseline, GradientEstimator.Pathwise, GradientEstimator.DeltaPathwise, GradientEstimator.MeasureValued)]
    public GradientEstimator Estimator { get; set; }

    readonly GradientEstimatorProblem problem = new(GradientEstimatorCost.Cos, 1f, 1f, 1f);
    readonly float[] downloaded = new float[4];
    IBackend? backend;
    IGradientEstimatorOperations? operations;
    Tensor? terms, muRow, sigmaRow, totals;
    Tensor[]? results;
    long first;

    protected abstract IBackend OpenBackend();

    [GlobalSetup]
    public void Setup()
    {
        backend = OpenBackend();
        operations = GradientEstimatorOperations.For(backend);
        terms = backend.Allocate(2, Length);
        muRow = backend.View(terms, 0, 1, Length);
        sigmaRow = backend.View(terms, Length, 1, Length);
        totals = backend.Allocate(1, 4);
        results = [.. Enumerable.Range(0, 4).Select(i => backend.View(totals, i, 1, 1))];
        backend.Synchronize();
    }

    [GlobalCleanup]
    public void Cleanup() => backend?.Dispose();

    // The next slice of the stream per call, as a run's chunks are; Synchronize so device timings include the work.
    [Benchmark]
    public void Terms()
    {
        operations!.Terms(Estimator, problem, 0.3f, -0.2f, 0.1f, 0.1f, seed: 42, stream: 0, first, terms!);
        first += Length;
        backend!.Synchronize();
    }

    [Benchmark]
    public void Chunk()
    {
        operations!.Terms(Estimator, problem, 0.3f, -0.2f, 0.1f, 0.1f, seed: 42, stream: 0, first, terms!);
        first += Length;
        backend!.Sum(muRow!, results![0]);
        backend.SumOfSquares(muRow!, results[1]);
        backend.Sum(sigmaRow!, results[2]);
        backend.SumOfSquares(sigmaRow!, results[3]);
        backend.Download(totals!, downloaded);
    }
}

/// <summary>The host path at the experiment's chunk length (2^18 samples per call).</summary>
[SteadyJob]
[Config(typeof(RandomConfig))]
public class HostGradientEstimatorBenchmarks : GradientEstimatorBenchmarkBase
{
    [Params(1 << 18)]
    public override int Length { get; set; }

    protected override IBackend OpenBackend() => new VaeGpu.Runtime.HostPath.HostBackend();
}

/// <summary>ILGPU's CPU accelerator (a GPU simulator) on a small size: a check of the kernel path's cost, not a contender.</summary>
[SimulatorJob]
[Config(typeof(RandomConfig))]
public class IlgpuCpuGradientEstimatorBenchmarks : GradientEstimatorBenchmarkBase
{
    [Params(1 << 14)]
    public override int Length { get; set; }

    protected override IBackend OpenBackend() => DeviceCatalog.Open(DeviceRequest.Parse("cpu"));
}
