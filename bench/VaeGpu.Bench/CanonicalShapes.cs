using BenchmarkDotNet.Configs;
using VaeGpu.Host.Model;
using VaeGpu.Kernels;
using VaeGpu.References;
using VaeGpu.Runtime;

namespace VaeGpu.Bench;

/// <summary>
/// What every VAE-shaped benchmark starts from: the canonical model (784-400-20, Bernoulli, batch 128) on one backend,
/// its buffers filled by one forward pass, 1024 uniform "images" and a reversed order to gather them by. Each family's
/// benchmarks derive from it, with a host and an ILGPU-CPU subclass.
/// </summary>
public abstract class CanonicalShapes
{
    protected const int Batch = CanonicalVae.Batch;
    protected static readonly VaeConfig Canonical = CanonicalVae.Config;

    /// <summary>Elements each benchmark touches per call, for the Melements/s column (a step counts its images).</summary>
    public static readonly Dictionary<string, double> ElementsPerCall = new()
    {
        ["TrainingStep"] = Batch,
        ["LinearForwardRelu"] = Batch * 400,
        ["LinearBackwardInputMasked"] = Batch * 400,
        ["LinearForwardTanh"] = Batch * 400,
        ["LinearBackwardInputTanh"] = Batch * 400,
        ["GatherRows"] = Batch * 784,
        ["ForwardAndBackward"] = Batch * 20,
        ["Bernoulli"] = Batch * 784,
        ["Gaussian"] = Batch * 784,
        ["SumColumns"] = Batch * 784,
        ["Sum"] = Batch * 784,
        ["SumOfSquares"] = Batch * 784,
        ["AddRowBias"] = Batch * 784,
        ["Adam"] = new ParameterLayout(Canonical).Count,
        ["Sgd"] = new ParameterLayout(Canonical).Count,
        ["ImportanceWeighting"] = Batch * ImportanceWeightedBenchmarks.Samples * 784,
    };

    protected IBackend Backend { get; private set; } = null!;
    protected VaeModel Model { get; private set; } = null!;
    protected BatchBuffers Buffers { get; private set; } = null!;
    protected Tensor Images { get; private set; } = null!;
    protected IndexBuffer Order { get; private set; } = null!;

    protected abstract IBackend CreateBackend();

    /// <summary>The bound the model's buffers are shaped for: the ELBO unless a family needs K draws per image.</summary>
    protected virtual Objective Objective => Objective.Elbo;

    /// <summary>Called from each family's [GlobalSetup] before its own setup.</summary>
    protected void SetupCanonical()
    {
        Backend = CreateBackend();
        Model = new VaeModel(Backend, Canonical, Batch, Objective);
        Model.Initialise(seed: 1);
        Buffers = Model.Buffers(Batch);
        var pixels = new float[1024 * 784];
        RandomReference.FillUniform(pixels, seed: 1, stream: 1);
        Images = Backend.Allocate(1024, 784);
        Backend.Upload(pixels, Images);
        Order = Backend.AllocateIndices(1024);
        Backend.Upload(Enumerable.Range(0, 1024).Reverse().ToArray(), Order);
        Backend.GatherRows(Images, Order, 0, Buffers.X);
        Model.Forward(Buffers, 1, 0); // every buffer holds real values before any benchmark reads it
        Backend.Synchronize();
    }

    protected void Cleanup() => Backend?.Dispose();
}

/// <summary>Columns for the VAE-shaped operations: million elements (for a training step: images) per second.</summary>
public sealed class CanonicalShapesConfig : ManualConfig
{
    public CanonicalShapesConfig() => AddColumn(new ThroughputColumn("Melements/s",
        "elements touched per call (TrainingStep: images) / mean time, in millions per second",
        benchmarkCase => CanonicalShapes.ElementsPerCall.TryGetValue(benchmarkCase.Descriptor.WorkloadMethod.Name, out double elements) ? elements / 1e6 : null));
}
