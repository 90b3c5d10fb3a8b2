using VaeGpu.Host.Model;
using VaeGpu.Host.Training;
using VaeGpu.Kernels;
using VaeGpu.Runtime;
using VaeGpu.Runtime.Likelihood;
using VaeGpu.Runtime.Reparameterization;

namespace VaeGpu.Host.Diagnostics;

/// <summary>
/// One operation of a canonical training step: its call on the step's own buffers, its napkin math, and for a matrix
/// product its shape (for the raw sgemm it is compared with).
/// </summary>
public sealed record StepOperation(string Name, double Flop, double Bytes, Action Run, ProductShape? Product = null);

/// <summary>C (M x N) = op(A) op(B) with K terms per element; op transposes where the flag says so.</summary>
public sealed record ProductShape(bool TransposeA, bool TransposeB, int M, int N, int K)
{
    public double Flop => 2.0 * M * N * K;
}

/// <summary>
/// The canonical training step (784-400-20, Bernoulli, Adam, batch 128) taken apart: every call ComputeGradients and
/// the optimiser make, in order, on one model's buffers, with its floating-point work and the bytes it must move
/// (each operand read once, each result written once), for GFLOP/s and GB/s.
/// </summary>
public sealed class StepOperations
{
    const int Batch = CanonicalVae.Batch;

    public IBackend Backend { get; }
    public VaeModel Model { get; }
    public BatchBuffers Buffers { get; }
    readonly TrainingStep step;
    public IReadOnlyList<StepOperation> All { get; }
    readonly Tensor images;
    readonly IndexBuffer order;

    public StepOperations(IBackend backend)
    {
        Backend = backend;
        Model = new VaeModel(backend, CanonicalVae.Config, Batch);
        Model.Initialise(seed: 1);
        step = new TrainingStep(backend, Model, new Adam(backend, Model.Layout.Count, 1e-3f));
        Buffers = Model.Buffers(Batch);
        images = backend.Allocate(1024, 784);
        backend.FillUniform(images, 1, 1);
        order = backend.AllocateIndices(1024);
        backend.Upload([.. Enumerable.Range(0, 1024).Reverse()], order);
        backend.GatherRows(images, order, 0, Buffers.X);
        Model.Forward(Buffers, 1, 0); // every buffer holds real values before any operation is timed
        All = Operations(ReparameterizationOperations.For(backend), LikelihoodOperations.For(backend));
    }

    /// <summary>One whole step, as the trainer queues it.</summary>
    public void Step() => step.Run(Buffers, images, order, 0, seed: 1, stream: 2);

    List<StepOperation> Operations(IReparameterizationOperations reparameterization, ILikelihoodOperations likelihood)
    {
        var b = Buffers;
        var layout = Model.Layout;
        Tensor Weights(LinearLayer layer, Tensor of) => Backend.View(of, layer.WeightOffset, layer.Inputs, layer.Outputs);
        Tensor Bias(LinearLayer layer, Tensor of) => Backend.View(of, layer.BiasOffset, 1, layer.Outputs);
        var (encoder, head, decoder, output) = (layout.Encoder[0], layout.Encoder[1], layout.Decoder[0], layout.Decoder[1]);
        const double F = 4; // bytes per float
        double Product(int m, int n, int k) => 2.0 * m * n * k;
        double ProductBytes(int m, int n, int k) => F * ((double)m * k + (double)k * n + (double)m * n);
        StepOperation Linear(string name, LinearLayer layer, Tensor x, Tensor y) => new(name, Product(Batch, layer.Outputs, layer.Inputs),
            ProductBytes(Batch, layer.Outputs, layer.Inputs), () => Backend.LinearForward(x, Weights(layer, Model.Parameters), Bias(layer, Model.Parameters), y, layer.Activation),
            new ProductShape(false, false, Batch, layer.Outputs, layer.Inputs));
        // [dW; db] as one product whose op(A) = [x^T; 1^T] has an implicit row of ones.
        StepOperation WeightGradient(string name, LinearLayer layer, Tensor x, Tensor dy) => new(name, Product(layer.Inputs + 1, layer.Outputs, Batch),
            ProductBytes(layer.Inputs + 1, layer.Outputs, Batch),
            () => Backend.LinearBackwardWeights(x, dy, Backend.View(Model.Gradients, layer.WeightOffset, layer.Inputs + 1, layer.Outputs)),
            new ProductShape(true, false, layer.Inputs + 1, layer.Outputs, Batch));
        // The input gradient goes back through the activation of the layer before (whose output it reads), if any.
        StepOperation InputGradient(string name, LinearLayer layer, LinearLayer? before, Tensor dy, Tensor dx, Tensor? beforeOutput) => new(name, Product(Batch, layer.Inputs, layer.Outputs),
            ProductBytes(Batch, layer.Inputs, layer.Outputs), () => Backend.LinearBackwardInput(dy, Weights(layer, Model.Parameters), dx, before?.Activation ?? Activation.None, beforeOutput),
            new ProductShape(false, true, Batch, layer.Inputs, layer.Outputs));
        var scalars = new EncoderEstimatorScalars { Kind = GradientEstimator.Pathwise, KlWeight = 1f / Batch, SignalScale = 1f / Batch };
        int parameters = layout.Count;
        return
        [
            new("gather 128 rows", 0, 2 * F * Batch * 784, () => Backend.GatherRows(images, order, 0, b.X)),
            Linear("encoder 784->400 + bias + relu", encoder, b.X, b.Encoder[0]),
            Linear("head 400->40 + bias", head, b.Encoder[0], b.Head),
            new("reparameterisation forward", 10.0 * Batch * 20, F * Batch * (40 + 20 + 2), () => reparameterization.Forward(b.Head, 1, 2, b.Z, b.KlPerRow, b.LogDensityRatioPerRow)),
            Linear("decoder 20->400 + bias + relu", decoder, b.Z, b.Decoder[0]),
            Linear("output 400->784 + bias", output, b.Decoder[0], b.Output),
            new("bernoulli likelihood + gradient", 8.0 * Batch * 784, F * 3 * Batch * 784, () => likelihood.Bernoulli(b.Output, b.X, 1f / Batch, b.DOutput, b.NllPerRow, b.KlPerRow, Model.RunningSums)),
            WeightGradient("dW+db output 401x784x128 (A^T)", output, b.Decoder[0], b.DOutput),
            InputGradient("dX output 128x400<-784 + relu mask", output, decoder, b.DOutput, b.DDecoder[0], b.Decoder[0]),
            WeightGradient("dW+db decoder 21x400x128 (A^T)", decoder, b.Z, b.DDecoder[0]),
            InputGradient("dz 128x20<-400", decoder, null, b.DDecoder[0], b.DZ, null),
            new("reparameterisation backward", 12.0 * Batch * 20, F * Batch * (40 + 20 + 40), () => reparameterization.Backward(b.Head, 1, 2, b.DZ, b.DHead, scalars)),
            WeightGradient("dW+db head 401x40x128 (A^T)", head, b.Encoder[0], b.DHead),
            InputGradient("dX head 128x400<-40 + relu mask", head, encoder, b.DHead, b.DEncoder[0], b.Encoder[0]),
            WeightGradient("dW+db encoder 785x400x128 (A^T)", encoder, b.X, b.DEncoder[0]),
            new("adam over all parameters", 12.0 * parameters, F * 7 * parameters,
                () => step.Optimizer.Update(Model.Parameters, Model.Gradients)),
        ];
    }
}
