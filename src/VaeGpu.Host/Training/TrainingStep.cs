using VaeGpu.Host.Model;
using VaeGpu.Kernels;
using VaeGpu.Runtime;

namespace VaeGpu.Host.Training;

/// <summary>
/// The training step, written once for the trainer, `vaegpu bench`, `vaegpu check`, the benchmarks and the tests:
/// the batch's rows gathered from images on the backend (drawn as Bernoulli pixels when binarised on the fly), the
/// gradients by the model's objective and the chosen encoder estimator, and one optimiser update. It queues launches
/// and reads nothing back; the loss accumulates in the model's RunningSums.
/// </summary>
public sealed class TrainingStep(IBackend backend, VaeModel model, IOptimizer optimizer, GradientEstimator estimator = GradientEstimator.Pathwise)
{
    public VaeModel Model => model;
    public IOptimizer Optimizer => optimizer;
    public GradientEstimator Estimator => estimator;

    /// <summary>
    /// Steps on rows first .. first + b.Rows - 1 of <paramref name="images"/> taken in <paramref name="order"/>, with
    /// the draws of z from Philox (seed, stream). With <paramref name="binarizationStream"/> each pixel is replaced by a
    /// Bernoulli draw with its grey level as mean, from (seed, that stream).
    /// </summary>
    public void Run(BatchBuffers b, Tensor images, IndexBuffer order, int first, ulong seed, ulong stream, float klWeight = 1f, ulong? binarizationStream = null)
    {
        if (binarizationStream is { } binarization)
            backend.GatherRowsBinarized(images, order, first, b.X, seed, binarization);
        else
            backend.GatherRows(images, order, first, b.X);
        model.ComputeGradients(b, seed, stream, klWeight, estimator);
        optimizer.Update(model.Parameters, model.Gradients);
    }
}
