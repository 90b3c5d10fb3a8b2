using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using VaeGpu.Host.Model;
using VaeGpu.Kernels;
using VaeGpu.Runtime;

namespace VaeGpu.Bench;

/// <summary>
/// The VAE's own operations at the canonical shapes (784-400-20, batch 128), one benchmark each, and a whole training
/// step (gradients plus Adam). Napkin math: a step's products are ~0.42 GFLOP (~196 GFLOP per 469-step epoch; the
/// input layer needs no input gradient), so at OpenBLAS's ~200 GFLOP/s here a step cannot take much under 2 ms; each
/// elementwise operation moves well under 3 MB and should cost tens of microseconds, memory-bound.
/// </summary>
public abstract class VaeOperationBenchmarks
{
    protected const int Batch = 128;
    static readonly VaeConfig Canonical = new(784, [400], 20, Likelihood.Bernoulli, 1f);

    /// <summary>Elements each benchmark touches per call, for the Melements/s column (a step counts its images).</summary>
    public static readonly Dictionary<string, double> ElementsPerCall = new()
    {
        [nameof(TrainingStep)] = Batch,
        [nameof(LinearForwardRelu)] = Batch * 400,
        [nameof(LinearBackwardInputMasked)] = Batch * 400,
        [nameof(GatherRows)] = Batch * 784,
        [nameof(ReparameterizeForwardAndBackward)] = Batch * 20,
        [nameof(BernoulliLikelihood)] = Batch * 784,
        [nameof(SumColumns)] = Batch * 784,
        [nameof(AdamUpdate)] = new ParameterLayout(Canonical).Count,
    };

    protected abstract IBackend CreateBackend();

    IBackend? backend;
    VaeModel? model;
    BatchBuffers? buffers;
    Tensor? images, columnSums;
    IndexBuffer? order;
    int step;

    [GlobalSetup]
    public void Setup()
    {
        backend = CreateBackend();
        model = new VaeModel(backend, Canonical, Batch);
        model.Initialise(seed: 1);
        buffers = model.Buffers(Batch);
        var pixels = new float[1024 * 784];
        RandomReference.FillUniform(pixels, seed: 1, stream: 1);
        images = backend.Allocate(1024, 784);
        backend.Upload(pixels, images);
        order = backend.AllocateIndices(1024);
        backend.Upload(Enumerable.Range(0, 1024).Reverse().ToArray(), order);
        columnSums = backend.Allocate(1, 784);
        backend.GatherRows(images, order, 0, buffers.X);
        model.Forward(buffers, 1, 0); // every buffer holds real values before any benchmark reads it
        backend.Synchronize();
    }

    [GlobalCleanup]
    public void Cleanup() => backend?.Dispose();

    Tensor EncoderWeights => backend!.View(model!.Parameters, model.Layout.Encoder[0].WeightOffset, 784, 400);
    Tensor EncoderBias => backend!.View(model!.Parameters, model.Layout.Encoder[0].BiasOffset, 1, 400);
    Tensor DecoderOutputWeights => backend!.View(model!.Parameters, model.Layout.Decoder[^1].WeightOffset, 400, 784);

    [Benchmark]
    public void TrainingStep()
    {
        ulong stream = (ulong)step++;
        backend!.GatherRows(images!, order!, 0, buffers!.X);
        model!.ComputeGradients(buffers, 1, stream, klWeight: 1f, EncoderEstimator.Pathwise);
        backend.AdamUpdate(model.Parameters, model.Gradients, model.FirstMoments, model.SecondMoments, AdamStep.Create(1e-3f, step));
        backend.Synchronize();
    }

    [Benchmark]
    public void LinearForwardRelu()
    {
        backend!.LinearForward(buffers!.X, EncoderWeights, EncoderBias, buffers.Encoder[0], relu: true);
        backend.Synchronize();
    }

    [Benchmark]
    public void LinearBackwardInputMasked()
    {
        backend!.LinearBackwardInput(buffers!.DOutput, DecoderOutputWeights, buffers.DDecoder[0], buffers.Decoder[0]);
        backend.Synchronize();
    }

    [Benchmark]
    public void GatherRows()
    {
        backend!.GatherRows(images!, order!, 0, buffers!.X);
        backend.Synchronize();
    }

    [Benchmark]
    public void ReparameterizeForwardAndBackward()
    {
        var b = buffers!;
        backend!.ReparameterizeForward(b.Head, 1, 2, b.Z, b.KlPerRow, b.LogDensityRatioPerRow);
        backend.ReparameterizeBackward(b.Head, 1, 2, b.DZ, b.DHead, new EncoderEstimatorScalars { Kind = EncoderEstimator.Pathwise, KlWeight = 1f / Batch });
        backend.Synchronize();
    }

    [Benchmark]
    public void BernoulliLikelihood()
    {
        var b = buffers!;
        backend!.BernoulliLikelihood(b.Output, b.X, 1f / Batch, b.DOutput, b.NllPerRow, b.KlPerRow, model!.RunningSums);
        backend.Synchronize();
    }

    [Benchmark]
    public void SumColumns()
    {
        backend!.SumColumns(buffers!.DOutput, columnSums!);
        backend.Synchronize();
    }

    [Benchmark]
    public void AdamUpdate()
    {
        backend!.AdamUpdate(model!.Parameters, model.Gradients, model.FirstMoments, model.SecondMoments, AdamStep.Create(1e-3f, ++step));
        backend.Synchronize();
    }
}

/// <summary>Columns for the VAE operations: million elements (for a training step: images) per second.</summary>
public sealed class VaeOperationConfig : ManualConfig
{
    public VaeOperationConfig() => AddColumn(new ThroughputColumn("Melements/s",
        "elements touched per call (TrainingStep: images) / mean time, in millions per second",
        benchmarkCase => VaeOperationBenchmarks.ElementsPerCall.TryGetValue(benchmarkCase.Descriptor.WorkloadMethod.Name, out double elements) ? elements / 1e6 : null));
}

/// <summary>The host path: the one users without a GPU train on.</summary>
[SteadyJob]
[Config(typeof(VaeOperationConfig))]
public class HostVaeOperationBenchmarks : VaeOperationBenchmarks
{
    protected override IBackend CreateBackend() => new VaeGpu.Runtime.Host.HostBackend();
}

/// <summary>ILGPU's CPU accelerator (a GPU simulator): the same kernels a GPU runs, for comparison, not speed.</summary>
[SimulatorJob]
[Config(typeof(VaeOperationConfig))]
public class IlgpuCpuVaeOperationBenchmarks : VaeOperationBenchmarks
{
    protected override IBackend CreateBackend() => DeviceCatalog.Open(DeviceRequest.Parse("cpu"));
}
