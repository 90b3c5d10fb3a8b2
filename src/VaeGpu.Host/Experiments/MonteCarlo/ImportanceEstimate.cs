using VaeGpu.Kernels;

namespace VaeGpu.Host.Experiments.MonteCarlo;

/// <summary>
/// E_p f estimated from N draws of a proposal q with weights w = p / q: plain importance sampling, the mean of w f, and
/// self-normalised, sum(w f) / sum(w), each with its standard error (the self-normalised one by the delta method), and
/// the effective sample size (sum w)^2 / sum w^2 (N when q = p).
/// </summary>
public sealed record ImportanceEstimate(GaussianIntegrand Integrand, long Samples, double Plain, double PlainStandardError,
    double SelfNormalised, double SelfNormalisedStandardError, double EffectiveSampleSize, double Exact, double Seconds)
{
    /// <summary>The estimate from the draws' sums: of w f, w, w^2 f, (w f)^2 and w^2.</summary>
    public static ImportanceEstimate From(GaussianIntegrand integrand, long n, double sumWf, double sumW, double sumW2f, double sumWf2, double sumW2,
        double exact, double seconds)
    {
        double plain = sumWf / n;
        double plainVariance = Math.Max(0, (sumWf2 - sumWf * sumWf / n) / (n - 1));
        double ratio = sumWf / sumW;
        double ratioVariance = Math.Max(0, sumWf2 - 2 * ratio * sumW2f + ratio * ratio * sumW2) / (sumW * sumW);
        return new(integrand, n, plain, Math.Sqrt(plainVariance / n), ratio, Math.Sqrt(ratioVariance), sumW * sumW / sumW2, exact, seconds);
    }
}
