using MathNet.Numerics.Integration;

namespace VaeGpu.Host.Experiments.KlFit;

/// <summary>
/// The reverse divergence KL(q || p) = integral of q log(q / p) of a fitted q (a Gaussian, or a Gaussian mixture) from
/// the target p, by composite Simpson's rule in double over q's support, so the reported value is computed, not
/// assumed. One dimension makes quadrature exact to far below any Monte Carlo error: with 2^16 intervals over
/// [min_k m_k - 12 s_k, max_k m_k + 12 s_k] the step is a few thousandths of a sigma for the fits here.
/// </summary>
public static class ReverseKlQuadrature
{
    public const int Intervals = 1 << 16;

    /// <summary>Standard deviations past each component of q that the integral covers: q's mass beyond is below 1e-32.</summary>
    public const double SigmasEachSide = 12;

    public static string Description => $"the composite Simpson rule with {Intervals} intervals over each component of q +- {SigmasEachSide} sigma";

    public static double Gaussian(TargetMixture target, double mu, double sigma) => Mixture(target, [1.0], [mu], [sigma]);

    public static double Mixture(TargetMixture target, double[] weights, double[] means, double[] sigmas)
    {
        double low = Enumerable.Range(0, means.Length).Min(k => means[k] - SigmasEachSide * sigmas[k]);
        double high = Enumerable.Range(0, means.Length).Max(k => means[k] + SigmasEachSide * sigmas[k]);
        return SimpsonRule.IntegrateComposite(x =>
        {
            double logQ = LogMixtureDensity(weights, means, sigmas, x);
            double q = Math.Exp(logQ);
            return q == 0 ? 0 : q * (logQ - LogMixtureDensity(target.Weights, target.Means, target.StandardDeviations, x));
        }, low, high, Intervals);
    }

    public static double MixtureDensity(double[] weights, double[] means, double[] sigmas, double x) => Math.Exp(LogMixtureDensity(weights, means, sigmas, x));

    /// <summary>log of sum_k w_k N(x; m_k, s_k^2) by log-sum-exp, finite where every component's density underflows.</summary>
    static double LogMixtureDensity(double[] weights, double[] means, double[] sigmas, double x)
    {
        double[] logTerms = [.. Enumerable.Range(0, weights.Length).Select(k =>
            Math.Log(weights[k]) - Math.Log(sigmas[k]) - 0.5 * Math.Log(2 * Math.PI) - 0.5 * Math.Pow((x - means[k]) / sigmas[k], 2))];
        double largest = logTerms.Max();
        return largest + Math.Log(logTerms.Sum(term => Math.Exp(term - largest)));
    }
}
