using BenchmarkDotNet.Attributes;
using VaeGpu.Kernels;
using VaeGpu.Runtime;
using VaeGpu.Runtime.Devices;
namespace VaeGpu.Bench;

/// <summary>The products with fused epilogues at the canonical shapes: the encoder's x W + b through ReLU or tanh (128x400x784) and the decoder's dy W^T through ReLU' or tanh' (128x400x784). The plain products at every VAE shape are in HostMatMulBenchmarks and IlgpuCpuMatMulBenchmarks.</summary>
public abstract class MatMulEpilogueBenchmarks : CanonicalShapes
{
    [GlobalSetup]
    public void Setup() => SetupCanonical();

    [GlobalCleanup]
    public void GlobalCleanup() => Cleanup();

    Tensor EncoderWeights => Backend.View(Model.Parameters, Model.Layout.Encoder[0].WeightOffset, 784, 400);
    Tensor EncoderBias => Backend.View(Model.Parameters, Model.Layout.Encoder[0].BiasOffset, 1, 400);
    Tensor DecoderOutputWeights => Backend.View(Model.Parameters, Model.Layout.Decoder[^1].WeightOffset, 400, 784);

    [Benchmark]
    public void LinearForwardRelu()
    {
        Backend.LinearForward(Buffers.X, EncoderWeights, EncoderBias, Buffers.Encoder[0], Activation.Relu);
        Backend.Synchronize();
    }

    [Benchmark]
    public void LinearBackwardInputMasked()
    {
        Backend.LinearBackwardInput(Buffers.DOutput, DecoderOutputWeights, Buffers.DDecoder[0], Activation.Relu, Buffers.Decoder[0]);
        Backend.Synchronize();
    }

    [Benchmark]
    public void LinearForwardTanh()
    {
        Backend.LinearForward(Buffers.X, EncoderWeights, EncoderBias, Buffers.Encoder[0], Activation.Tanh);
        Backend.Synchronize();
    }

    /// <summary>The decoder's buffer holds ReLU outputs, not tanh's; the arithmetic is the same whatever the values.</summary>
    [Benchmark]
    public void LinearBackwardInputTanh()
    {
        Backend.LinearBackwardInput(Buffers.DOutput, DecoderOutputWeights, Buffers.DDecoder[0], Activation.Tanh, Buffers.Decoder[0]);
        Backend.Synchronize();
    }
}

/// <summary>The host path: the one users without a GPU run.</summary>
[SteadyJob]
[Config(typeof(CanonicalShapesConfig))]
public class HostMatMulEpilogueBenchmarks : MatMulEpilogueBenchmarks
{
    protected override IBackend CreateBackend() => new VaeGpu.Runtime.HostPath.HostBackend();
}

/// <summary>ILGPU's CPU accelerator (a GPU simulator): the same kernels a GPU runs, for comparison, not speed.</summary>
[SimulatorJob]
[Config(typeof(CanonicalShapesConfig))]
public class IlgpuCpuMatMulEpilogueBenchmarks : MatMulEpilogueBenchmarks
{
    protected override IBackend CreateBackend() => DeviceCatalog.Open(DeviceRequest.Parse("cpu"));
}
