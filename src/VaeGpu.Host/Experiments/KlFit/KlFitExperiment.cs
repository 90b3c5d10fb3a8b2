using VaeGpu.Kernels;
using VaeGpu.Runtime;
using VaeGpu.Runtime.Experiments.KlFit;

namespace VaeGpu.Host.Experiments.KlFit;

/// <summary>
/// The four fits of q = N(mu, sigma^2) to the target mixture p: forward KL(p || q) in closed form and by SGD, and
/// reverse KL(q || p) by SGD with the score-function and with the path-wise gradient; then reverse KL(q || p) with a
/// two-component mixture q by the implicit gradient; then q by the Rényi bound for each alpha, from the closed-form forward fit. The other SGD fits start from the same point (the mixture's components
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
        // The Rényi fits start from the closed-form forward fit, which covers p: from --init-sigma's narrower start the
        // estimates of negative alpha seldom draw from the far mode, and descending their upper bound, biased low at
        // finite K, settled q on the near mode (measured with K = 8 to 128).
        var start = fits[0];
        var renyi = settings.RenyiAlphas.Select(alpha => RenyiKlFit.Fit(backend, operations, settings.Target, alpha, settings.RenyiK,
            start.Mu, start.Sigma, settings.Iterations, settings.Batch, settings.LearningRate, settings.Seed)).ToList();
        return new KlFitResults(fits, mixture, renyi);
    }
}
