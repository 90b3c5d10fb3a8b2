using System.Globalization;
using VaeGpu.Runtime;
using VaeGpu.Runtime.Experiments.KlFit;

namespace VaeGpu.Host.Experiments.KlFit;

/// <summary>
/// Fits q = N(mu, e^r) to p by tightening the variational Rényi bound L_alpha,K = log Z - D_alpha(q || p) (Li and
/// Turner 2016; p's normaliser Z) with K draws per estimate and path-wise gradients (KlFitMath.RenyiTerms). For
/// 0 &lt;= alpha &lt;= 1 the bound is a lower bound and is maximised: alpha = 1 is reverse KL (mode seeking), alpha = 0
/// the IWAE bound. For alpha &lt; 0 it is an upper bound (CUBO_2 at alpha = -1) and is minimised, as CHIVI minimises
/// CUBO (Dieng et al. 2017): D_alpha(q || p) = alpha / (1 - alpha) D_(1 - alpha)(p || q) is then never positive and
/// unbounded below, so maximising the bound would run away (measured: q shrank between the modes), while minimising
/// it minimises the forward divergence D_(1 - alpha)(p || q): mass covering, forward KL as alpha -> 0 from below and
/// wider as alpha falls. Each step draws batch / K groups; the loop is StochasticKlFit's.
/// </summary>
public static class RenyiKlFit
{
    /// <summary>Rényi fits take alphas from MinAlpha up to 1 (reverse KL); above 1 the divergence's weights favour q's own mode even more than reverse KL.</summary>
    public const double MinAlpha = -50, MaxAlpha = 1;

    /// <summary>The sign of the gradient of L_alpha that SGD descends: -1 (ascend the lower bound) for alpha >= 0, +1 (descend the upper bound) below.</summary>
    public static float StepSign(double alpha) => alpha < 0 ? 1f : -1f;

    public static string Name(double alpha) => $"renyi-alpha={alpha.ToString(CultureInfo.InvariantCulture)}";

    public static FittedRenyi Fit(IBackend backend, IKlFitOperations operations, TargetMixture target, double alpha, int k,
        double initialMu, double initialSigma, int iterations, int batch, double learningRate, ulong seed)
    {
        if (!(alpha >= MinAlpha && alpha <= MaxAlpha)) throw new InvalidSettingException(nameof(alpha), alpha, $"a Rényi fit takes alpha from {MinAlpha} to {MaxAlpha} (1 is reverse KL).");
        if (k < 2) throw new InvalidSettingException(nameof(k), k, "a Rényi bound needs at least 2 draws per group (with 1 every alpha is reverse KL).");
        if (batch % k != 0) throw new InvalidSettingException(nameof(batch), batch, $"the batch must hold whole groups of {k} draws.");
        int groups = batch / k;
        var (mu, sigma) = StochasticKlFit.Descend(backend, groups, initialMu, initialSigma, iterations, learningRate, (step, parameters, terms) =>
            operations.RenyiTerms(target.Kernel, k, (float)alpha, seed, KlFitRandomStreams.RenyiStep(step), 0, parameters, StepSign(alpha) / groups, terms));
        var fit = new FittedGaussian(Name(alpha),
            $"Adam {(alpha < 0 ? "descending the upper" : "ascending the lower")} bound L_alpha by its path-wise gradient with self-normalised weights w^(1 - alpha), {iterations} iterations of {groups} groups of {k} draws",
            mu[iterations], sigma[iterations], ReverseKlQuadrature.Gaussian(target, mu[iterations], sigma[iterations]), mu, sigma);
        return new FittedRenyi(alpha, k, fit);
    }
}
