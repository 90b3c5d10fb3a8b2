using VaeGpu.Host.Names;
using VaeGpu.Kernels;
using VaeGpu.Runtime;

namespace VaeGpu.Host.Model;

/// <summary>
/// What a Gamma or Dirichlet posterior trains with: the ELBO, its implicit path-wise encoder gradient, plain Monte Carlo
/// draws. The score estimators, the importance-weighted bound and the coupled samplers are written for the Gaussian's
/// z = mu + sigma eps alone; a setting that asks for them with another posterior is refused, naming both settings.
/// </summary>
public static class PosteriorChoice
{
    public static void Require(Posterior posterior, Objective objective, GradientEstimator estimator, Sampler sampler)
    {
        if (posterior == Posterior.Gaussian) return;
        var named = new SettingValue(nameof(VaeConfig.Posterior), ModelVocabulary.Posteriors.Name(posterior));
        if (objective.ImportanceWeighted)
            throw new InvalidSettingException([named, new(nameof(Training.TrainingOptions.Objective), objective.Name)],
                "Gamma and Dirichlet posteriors train the ELBO (eval still reports their importance-weighted log p(x)); use {Objective elbo}.");
        if (estimator != GradientEstimator.Pathwise)
            throw new InvalidSettingException([named, new(nameof(Training.TrainingOptions.Estimator), Vocabulary.Estimators.Name(estimator))],
                "the encoder gradient of Gamma and Dirichlet posteriors is the implicit path-wise one; use {Estimator pathwise}.");
        if (sampler != Sampler.Mc)
            throw new InvalidSettingException([named, new(nameof(Training.TrainingOptions.Sampler), Vocabulary.Samplers.Name(sampler))],
                "Gamma and Dirichlet posteriors draw plain Monte Carlo samples; use {Sampler mc}.");
    }
}
