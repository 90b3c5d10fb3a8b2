using BenchmarkDotNet.Attributes;
using VaeGpu.Host.Model;
using VaeGpu.Kernels;
using VaeGpu.Runtime;
using VaeGpu.Runtime.Devices;
using VaeGpu.Runtime.ImportanceWeighted;

namespace VaeGpu.Bench;

/// <summary>
/// The importance-weighted family at the canonical IWAE step (128 images x K = 5 draws): the weights and bound, the
/// scaling of the 640 x 784 decoder gradient, and the DReG encoder gradient. The scaling moves 2 MB, the rest a few kB.
/// </summary>
public abstract class ImportanceWeightedBenchmarks : CanonicalShapes
{
    public const int Samples = 5;

    IImportanceWeightedOperations operations = null!;

    protected override Objective Objective => Objective.Iwae(Samples);

    [GlobalSetup]
    public void Setup()
    {
        SetupCanonical();
        operations = ImportanceWeightedOperations.For(Backend);
    }

    [GlobalCleanup]
    public void GlobalCleanup() => Cleanup();

    [Benchmark]
    public void ImportanceWeighting()
    {
        var b = Buffers;
        operations.Weigh(b.NllPerRow, b.LogDensityRatioPerRow, b.KlPerRow, 1f / Batch, b.RowScale, b.BoundPerImage, Model.RunningSums);
        operations.ScaleRows(b.DOutput, b.RowScale);
        operations.EncoderBackward(b.Head, 1, 2, b.DZ, b.RowScale, GradientEstimator.Dreg, b.DHead);
        Backend.Synchronize();
    }

    /// <summary>VIMCO's encoder gradient: leave-one-out coefficients, then the score of q at the held draws.</summary>
    [Benchmark]
    public void VimcoEncoderGradient()
    {
        var b = Buffers;
        operations.ScoreCoefficients(b.NllPerRow, b.LogDensityRatioPerRow, Samples, 1f / Batch, leaveOneOut: true, b.EncoderRowScale);
        operations.ScoreEncoderBackward(b.Head, 1, 2, b.EncoderRowScale, b.DHead);
        Backend.Synchronize();
    }
}

/// <summary>The host path: the one users without a GPU run.</summary>
[SteadyJob]
[Config(typeof(CanonicalShapesConfig))]
public class HostImportanceWeightedBenchmarks : ImportanceWeightedBenchmarks
{
    protected override IBackend CreateBackend() => new VaeGpu.Runtime.HostPath.HostBackend();
}

/// <summary>ILGPU's CPU accelerator (a GPU simulator): the same kernels a GPU runs, for comparison, not speed.</summary>
[SimulatorJob]
[Config(typeof(CanonicalShapesConfig))]
public class IlgpuCpuImportanceWeightedBenchmarks : ImportanceWeightedBenchmarks
{
    protected override IBackend CreateBackend() => DeviceCatalog.Open(DeviceRequest.Parse("cpu"));
}
