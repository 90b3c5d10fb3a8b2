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
    public const string Description = "how z is drawn: mc; or, with --objective iwae and the path-wise gradient, each image's --k draws as "
        + "antithetic pairs (K even), a Latin hypercube (stratified), or a scrambled Sobol point set (rqmc, latent <= 1024)";

    /// <summary>Refuses a sampler the objective or the estimators cannot take, naming the option.</summary>
    public static void Require(Sampler sampler, Objective objective, IEnumerable<GradientEstimator> estimators)
    {
        if (sampler == Sampler.Mc) return;
        string option = $"--sampler {Vocabulary.Samplers.Name(sampler)}";
        if (!objective.ImportanceWeighted)
            throw new UserErrorException($"{option} couples each image's K draws: it needs --objective iwae (the ELBO draws one z per image).");
        if (estimators.Where(e => e != GradientEstimator.Pathwise).ToList() is [var other, ..])
            throw new UserErrorException($"{option} with --estimator {Vocabulary.Estimators.Name(other)}: its score-term identities need independent draws; coupled draws take the path-wise gradient.");
        if (sampler == Sampler.Antithetic && objective.Samples % 2 != 0)
            throw new UserErrorException($"{option} --k {objective.Samples}: antithetic draws come in pairs; use an even --k.");
    }

    /// <summary>Refuses Sobol points of more dimensions than the Joe-Kuo table holds, naming the option.</summary>
    public static void RequireDimensions(Sampler sampler, int latent)
    {
        if (sampler == Sampler.Rqmc && latent > SobolDirections.Dimensions)
            throw new UserErrorException($"--sampler rqmc with --latent {latent}: the Joe-Kuo Sobol table holds {SobolDirections.Dimensions} dimensions; use --latent <= {SobolDirections.Dimensions} or another sampler.");
    }
}
