using VaeGpu.Host.Names;
using VaeGpu.Kernels;
using VaeGpu.Host.Model;
using VaeGpu.Runtime;

namespace VaeGpu.Host.Training;

/// <summary>
/// How the VAE's K draws per image are made (`--sampler` of train and variance vae, the checkpoint's "sampler"), and
/// what each needs. Every sampler draws each z exactly from q(z|x), so the importance-weighted bound stays a lower bound
/// of log p(x); antithetic, stratified and rqmc couple an image's K draws (VaeGpu.Kernels.ImageDraws), so they act on
/// the importance-weighted bound only, and take the path-wise gradient: the score-term identities of stl and dreg hold
/// for independent draws.
/// </summary>
public static class DrawSamplers
{
    /// <summary>Refuses a sampler the objective or the estimators cannot take, naming the settings.</summary>
    public static void Require(Sampler sampler, Objective objective, IEnumerable<GradientEstimator> estimators)
    {
        if (sampler == Sampler.Mc) return;
        var chosen = new SettingValue(nameof(TrainingOptions.Sampler), Vocabulary.Samplers.Name(sampler));
        if (objective.Kind != ObjectiveKind.Iwae)
            throw new InvalidSettingException([chosen, new(nameof(TrainingOptions.Objective), objective.Name)],
                "it couples each image's K draws for the importance-weighted bound: it needs {Objective iwae}.");
        if (estimators.Where(e => e != GradientEstimator.Pathwise).ToList() is [var other, ..])
            throw new InvalidSettingException([chosen, new(nameof(TrainingOptions.Estimator), Vocabulary.Estimators.Name(other))],
                "its score-term identities need independent draws; coupled draws take the path-wise gradient.");
        if (sampler == Sampler.Antithetic && objective.Samples % 2 != 0)
            throw new InvalidSettingException([chosen, new(nameof(Objective.Samples), InvalidSettingException.Text(objective.Samples))], "antithetic draws come in pairs; use an even {Samples}.");
    }

    /// <summary>Refuses Sobol points of more dimensions than the Joe-Kuo table holds, naming the settings.</summary>
    public static void RequireDimensions(Sampler sampler, int latent)
    {
        if (sampler == Sampler.Rqmc && latent > SobolDirections.Dimensions)
            throw new InvalidSettingException([new(nameof(TrainingOptions.Sampler), "rqmc"), new(nameof(VaeConfig.Latent), InvalidSettingException.Text(latent))],
                $"the Joe-Kuo Sobol table holds {SobolDirections.Dimensions} dimensions; use {{Latent}} <= {SobolDirections.Dimensions} or another sampler.");
    }
}
