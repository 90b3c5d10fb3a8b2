using VaeGpu.Kernels;
using VaeGpu.Runtime;
using VaeGpu.Runtime.Experiments.KlFit;

namespace VaeGpu.Host.Experiments.KlFit;

/// <summary>
/// The four fits of q = N(mu, sigma^2) to the target mixture p: forward KL(p || q) in closed form and by SGD, and
/// reverse KL(q || p) by SGD with the score-function and with the path-wise gradient; then reverse KL(q || p) with a
/// two-component mixture q by the implicit gradient. The SGD fits start from the same point (the mixture's components
/// one sigma either side of it).
/// </summary>
public static class KlFitExperiment
{
    public static KlFitResults Run(IBackend backend, KlFitSettings settings)
    {
        var operations = KlFitOperations.For(backend);
        var fits = new List<FittedGaussian> { ClosedFormForwardFit.Fit(backend, operations, settings.Target, settings.Samples, settings.Seed) };
        foreach (var gradient in KlGradient.All)
            fits.Add(StochasticKlFit.Fit(backend, operations, settings.Target, gradient, settings.InitialMu, settings.InitialSigma,
                settings.Iterations, settings.Batch, settings.LearningRate, settings.Seed));
        var mixture = MixtureKlFit.Fit(backend, operations, settings.Target, settings.InitialMu, settings.InitialSigma,
            settings.Iterations, settings.Batch, settings.LearningRate, settings.Seed);
        return new KlFitResults(fits, mixture);
    }
}
