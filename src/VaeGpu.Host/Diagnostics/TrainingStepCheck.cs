using VaeGpu.Host.Model;
using VaeGpu.Host.Training;
using VaeGpu.Kernels;
using VaeGpu.Runtime;

namespace VaeGpu.Host.Diagnostics;

/// <summary>
/// Full canonical training steps (784-400-20, Bernoulli, Adam 1e-3, batch 128) on the device and on the host path
/// from the same initial weights and the same batches: each step's loss must agree within 1e-4 relative, and the
/// first step's gradients within 1e-3 of the largest gradient (products over 784 terms, summed in other orders). Later
/// gradients are not compared: rounding differences feed back through Adam, and the losses show whether they stay small.
/// </summary>
public static class TrainingStepCheck
{
    const int Batch = CanonicalVae.Batch, Images = 1024;
    const double LossTolerance = 1e-4, GradientTolerance = 1e-3;

    public static IReadOnlyList<CheckResult> Run(CheckOperations device, CheckOperations host, int steps)
    {
        var (deviceRun, hostRun) = (new TrainingRun(device), new TrainingRun(host));
        var results = new List<CheckResult>();
        double worstLoss = 0;
        int failedStep = 0;
        for (int step = 1; step <= steps; step++)
        {
            double deviceLoss = deviceRun.Step(step), hostLoss = hostRun.Step(step);
            double error = Math.Abs(deviceLoss - hostLoss) / Math.Abs(hostLoss);
            if (!(error <= LossTolerance) && failedStep == 0) failedStep = step;
            worstLoss = double.IsNaN(error) ? double.PositiveInfinity : Math.Max(worstLoss, error);
            if (step == 1) results.Add(CompareGradients(deviceRun.Gradients, hostRun.Gradients));
        }
        results.Add(new CheckResult("training step", $"loss of {steps} canonical Adam steps", double.NaN, worstLoss, 0, LossTolerance,
            failedStep == 0, failedStep == 0 ? null : $"step {failedStep} is the first beyond the tolerance"));
        return results;
    }

    static CheckResult CompareGradients(float[] device, float[] host)
    {
        double largest = host.Max(Math.Abs), worst = 0;
        for (int i = 0; i < host.Length; i++) worst = Math.Max(worst, Math.Abs((double)device[i] - host[i]));
        if (double.IsNaN(device.Sum())) worst = double.PositiveInfinity;
        return new CheckResult("training step", "gradients of the first step", worst, worst / largest, 0, GradientTolerance,
            worst <= GradientTolerance * largest);
    }

    /// <summary>One model on one backend, trained on the same uniform "images" in the same order on every backend.</summary>
    sealed class TrainingRun
    {
        readonly IBackend backend;
        readonly VaeModel model;
        readonly TrainingStep step;
        readonly BatchBuffers buffers;
        readonly Tensor images;
        readonly IndexBuffer order;
        readonly float[] sums = new float[2 * Batch];

        public TrainingRun(CheckOperations operations)
        {
            backend = operations.Backend;
            model = new VaeModel(backend, CanonicalVae.Config, Batch);
            model.Initialise(seed: 1);
            step = new TrainingStep(backend, model, new Adam(backend, model.Layout.Count, 1e-3f));
            buffers = model.Buffers(Batch);
            images = operations.Input(40, Images, 784, 0f, 1f);
            order = backend.AllocateIndices(Images);
            backend.Upload([.. Enumerable.Range(0, Images).Select(i => i * 389 % Images)], order);
        }

        public float[] Gradients => backend.Download(model.Gradients);

        /// <summary>One step; returns its mean loss per image (NLL + KL), read back from the running sums.</summary>
        public double Step(int step)
        {
            backend.Fill(model.RunningSums, 0f);
            this.step.Run(buffers, images, order, (step - 1) * Batch % Images, seed: 1, stream: (ulong)step);
            backend.Download(model.RunningSums, sums);
            return sums.Sum(value => (double)value) / Batch;
        }
    }
}
