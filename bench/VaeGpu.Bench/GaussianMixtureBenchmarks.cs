using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using VaeGpu.Kernels;
using VaeGpu.Runtime;
using VaeGpu.Runtime.Experiments.GaussianMixture;
using VaeGpu.Runtime.HostPath;
using VaeGpu.Runtime.Devices;

namespace VaeGpu.Bench;

/// <summary>
/// EM's two data passes for a K-component Gaussian mixture: the E-step (responsibilities and log p(x)) and the
/// M-step's weighted scatter (block partials plus SumColumns), in points per second. The host path at 100k points
/// for 2-D data and for 20-D data (a VAE's latent size, where the d^2 work per component dominates); the CPU
/// accelerator at a small size as a point of comparison.
/// </summary>
public abstract class GaussianMixtureBenchmarkBase
{
    public abstract int Points { get; set; }
    public abstract int Dimension { get; set; }

    public const int Components = 10;

    IBackend? backend;
    IGaussianMixtureOperations? operations;
    Tensor? points, parameters, responsibilities, logDensity, partials, scatter;

    protected abstract IBackend CreateBackend();

    [GlobalSetup]
    public void Setup()
    {
        backend = CreateBackend();
        operations = GaussianMixtureOperations.For(backend);
        var random = new Random(1);
        points = Upload(Enumerable.Range(0, Points * Dimension).Select(_ => 6 * random.NextSingle() - 3).ToArray(), Points, Dimension);
        parameters = Upload(UnitCovarianceMixture(random), 1, Components * GaussianMixtureLayout.Stride(Dimension));
        responsibilities = backend.Allocate(Points, Components);
        logDensity = backend.Allocate(Points, 1);
        partials = backend.Allocate(GaussianMixtureKernels.ScatterBlocks(Points), Components * Dimension * Dimension);
        scatter = backend.Allocate(1, Components * Dimension * Dimension);
        operations.Responsibilities(points, parameters, responsibilities, logDensity);
        backend.Synchronize();
    }

    [GlobalCleanup]
    public void Cleanup() => backend?.Dispose();

    Tensor Upload(float[] values, int rows, int columns)
    {
        var tensor = backend!.Allocate(rows, columns);
        backend.Upload(values, tensor);
        return tensor;
    }

    /// <summary>Equal weights, means in [-3, 3], identity covariances: the kernels' cost does not depend on the values.</summary>
    float[] UnitCovarianceMixture(Random random)
    {
        var packed = new float[Components * GaussianMixtureLayout.Stride(Dimension)];
        for (int k = 0; k < Components; k++)
        {
            packed[GaussianMixtureLayout.Constant(k, Dimension)] = (float)(-Math.Log(Components) - 0.5 * Dimension * Math.Log(2 * Math.PI));
            for (int a = 0; a < Dimension; a++)
            {
                packed[GaussianMixtureLayout.Mean(k, Dimension) + a] = 6 * random.NextSingle() - 3;
                packed[GaussianMixtureLayout.Whitening(k, Dimension) + a * Dimension + a] = 1;
            }
        }
        return packed;
    }

    [Benchmark]
    public void EStep()
    {
        operations!.Responsibilities(points!, parameters!, responsibilities!, logDensity!);
        backend!.Synchronize();
    }

    [Benchmark]
    public void WeightedScatter()
    {
        operations!.WeightedScatterPartials(points!, responsibilities!, parameters!, partials!);
        backend!.SumColumns(partials!, scatter!);
        backend.Synchronize();
    }
}

/// <summary>Million points per second, from the Points parameter and the mean time of one call.</summary>
public sealed class GaussianMixtureConfig : ManualConfig
{
    public GaussianMixtureConfig() => AddColumn(new ThroughputColumn("Mpoints/s", "Points / mean time, in millions of points per second",
        benchmarkCase => benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == "Points")?.Value is int points ? points / 1e6 : null));
}

[SteadyJob]
[Config(typeof(GaussianMixtureConfig))]
public class HostGaussianMixtureBenchmarks : GaussianMixtureBenchmarkBase
{
    [Params(100_000)]
    public override int Points { get; set; }

    [Params(2, 20)]
    public override int Dimension { get; set; }

    protected override IBackend CreateBackend() => new HostBackend();
}

[SimulatorJob]
[Config(typeof(GaussianMixtureConfig))]
public class IlgpuCpuGaussianMixtureBenchmarks : GaussianMixtureBenchmarkBase
{
    [Params(4096)]
    public override int Points { get; set; }

    [Params(2)]
    public override int Dimension { get; set; }

    protected override IBackend CreateBackend() => DeviceCatalog.Open(DeviceRequest.Parse("cpu"));
}
