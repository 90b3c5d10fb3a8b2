using VaeGpu.Kernels;
namespace VaeGpu.Host.Experiments.KlFit;

/// <summary>
/// Which Philox stream each random draw of `vaegpu kl-fit` uses under the run's seed; the top bits name the purpose,
/// so streams never overlap, and every device draws the same numbers (as Model/RandomStreams for the VAE).
/// </summary>
public static class KlFitRandomStreams
{
    /// <summary>The N samples of p behind the closed-form forward fit; sample i is element i of this one stream.</summary>
    public const ulong ClosedFormSamples = 0UL << 60;

    const ulong ForwardSteps = 1UL << 60, ScoreSteps = 2UL << 60, PathwiseSteps = 3UL << 60, MixtureQSteps = 4UL << 60, RenyiSteps = 5UL << 60;

    /// <summary>The minibatch of SGD step <paramref name="step"/> (from 0) of a fit with the given gradient.</summary>
    public static ulong Step(KlGradient gradient, int step) =>
        (gradient.Direction == KlDirection.Forward ? ForwardSteps : gradient.Estimator == GradientEstimator.Score ? ScoreSteps : PathwiseSteps) | (uint)step;

    /// <summary>The minibatch of SGD step <paramref name="step"/> (from 0) of the mixture q's reverse-KL fit.</summary>
    public static ulong MixtureQStep(int step) => MixtureQSteps | (uint)step;

    /// <summary>
    /// The draws of SGD step <paramref name="step"/> (from 0) of a Rényi fit: one stream for every alpha, so the fits
    /// of the continuum see the same noise and differ only by their alpha.
    /// </summary>
    public static ulong RenyiStep(int step) => RenyiSteps | (uint)step;
}
