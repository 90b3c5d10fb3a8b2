using VaeGpu.Host.Model;
using VaeGpu.Host.Training;
using VaeGpu.Kernels;
using VaeGpu.Runtime;

namespace VaeGpu.Host.Diagnostics;

/// <summary>A training step's median wall time under one objective and encoder estimator, and its ratio to the ELBO's step in the same run.</summary>
public sealed record ObjectiveStepTime(string Name, double MedianMicroseconds, double RatioToElbo);

/// <summary>
/// The canonical training step (gather, gradients, Adam) under the ELBO, the importance-weighted bound with K = 5
/// (path-wise, DReG, path-wise over each image's draws as a scrambled Sobol set, VIMCO), reweighted wake-sleep, CIWAE and
/// the Rényi bound at K = 5, and MIWAE and PIWAE with 8 groups of 8 (K = 64), one model each on the same images. The objectives take turns within every repeat, so
/// the machine's drift falls on all of them alike and the ratios are of the same minutes.
/// </summary>
public static class ObjectiveSteps
{
    public const int ImportanceSamples = 5;

    public static IReadOnlyList<ObjectiveStepTime> Measure(IBackend backend, int repeats)
    {
        (string Name, Objective Objective, GradientEstimator Estimator, Sampler Sampler)[] cases =
        [
            ("elbo pathwise", Objective.Elbo, GradientEstimator.Pathwise, Sampler.Mc),
            ($"iwae K={ImportanceSamples} pathwise", Objective.Iwae(ImportanceSamples), GradientEstimator.Pathwise, Sampler.Mc),
            ($"iwae K={ImportanceSamples} dreg", Objective.Iwae(ImportanceSamples), GradientEstimator.Dreg, Sampler.Mc),
            ($"iwae K={ImportanceSamples} pathwise rqmc", Objective.Iwae(ImportanceSamples), GradientEstimator.Pathwise, Sampler.Rqmc),
            ($"iwae K={ImportanceSamples} vimco", Objective.Iwae(ImportanceSamples), GradientEstimator.Vimco, Sampler.Mc),
            ($"rws K={ImportanceSamples}", new Objective(ObjectiveKind.Rws, ImportanceSamples), GradientEstimator.WakePhi, Sampler.Mc),
            ($"ciwae K={ImportanceSamples} beta 0.5", new Objective(ObjectiveKind.Ciwae, ImportanceSamples) { ElboWeight = 0.5f }, GradientEstimator.Pathwise, Sampler.Mc),
            ($"renyi K={ImportanceSamples} alpha 0.5", new Objective(ObjectiveKind.Renyi, ImportanceSamples) { Alpha = 0.5f }, GradientEstimator.Pathwise, Sampler.Mc),
            ("miwae (8, 8)", new Objective(ObjectiveKind.Miwae, 64) { Groups = 8 }, GradientEstimator.Pathwise, Sampler.Mc),
            ("piwae (8, 8)", new Objective(ObjectiveKind.Piwae, 64) { Groups = 8 }, GradientEstimator.Pathwise, Sampler.Mc),
        ];
        var images = backend.Allocate(CanonicalVae.Batch, CanonicalVae.Config.Inputs);
        backend.FillUniform(images, 1, 1);
        var order = backend.AllocateIndices(CanonicalVae.Batch);
        backend.Upload([.. Enumerable.Range(0, CanonicalVae.Batch)], order);
        double[] medians = Medians.Interleaved(backend, [.. cases.Select(c => Step(backend, c.Objective, c.Estimator, c.Sampler, images, order))], repeats);
        return cases.Select((c, i) => new ObjectiveStepTime(c.Name, medians[i], medians[i] / medians[0])).ToList();
    }

    static Action Step(IBackend backend, Objective objective, GradientEstimator estimator, Sampler sampler, Tensor images, IndexBuffer order)
    {
        var model = new VaeModel(backend, CanonicalVae.Config, CanonicalVae.Batch, objective, sampler);
        model.Initialise(seed: 1);
        var b = model.Buffers(CanonicalVae.Batch);
        var step = new TrainingStep(backend, model, new Adam(backend, model.Layout.Count, 1e-3f), estimator);
        return () => step.Run(b, images, order, 0, seed: 1, stream: (ulong)step.Optimizer.Steps);
    }
}
