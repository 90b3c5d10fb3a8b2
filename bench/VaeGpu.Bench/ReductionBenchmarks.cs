using BenchmarkDotNet.Attributes;
using VaeGpu.Kernels;
using VaeGpu.Runtime;
using VaeGpu.Runtime.Devices;
namespace VaeGpu.Bench;

/// <summary>The reductions on a canonical decoder gradient (128 x 784, 0.4 MB): the bias gradient (SumColumns) and the two full sums the experiments use; memory-bound.</summary>
public abstract class ReductionBenchmarks : CanonicalShapes
{
    Tensor columnSums = null!, total = null!;

    [GlobalSetup]
    public void Setup()
    {
        SetupCanonical();
        columnSums = Backend.Allocate(1, 784);
        total = Backend.Allocate(1, 1);
    }

    [GlobalCleanup]
    public void GlobalCleanup() => Cleanup();

    [Benchmark]
    public void SumColumns()
    {
        Backend.SumColumns(Buffers.DOutput, columnSums);
        Backend.Synchronize();
    }

    [Benchmark]
    public void Sum()
    {
        Backend.Sum(Buffers.DOutput, total);
        Backend.Synchronize();
    }

    [Benchmark]
    public void SumOfSquares()
    {
        Backend.SumOfSquares(Buffers.DOutput, total);
        Backend.Synchronize();
    }
}

/// <summary>The host path: the one users without a GPU run.</summary>
[SteadyJob]
[Config(typeof(CanonicalShapesConfig))]
public class HostReductionBenchmarks : ReductionBenchmarks
{
    protected override IBackend CreateBackend() => new VaeGpu.Runtime.HostPath.HostBackend();
}

/// <summary>ILGPU's CPU accelerator (a GPU simulator): the same kernels a GPU runs, for comparison, not speed.</summary>
[SimulatorJob]
[Config(typeof(CanonicalShapesConfig))]
public class IlgpuCpuReductionBenchmarks : ReductionBenchmarks
{
    protected override IBackend CreateBackend() => DeviceCatalog.Open(DeviceRequest.Parse("cpu"));
}
