namespace VaeGpu.Host.Experiments.ElboGap;

/// <summary>
/// One row of the experiment: the Monte Carlo ELBO of q with its standard error and the spread of its per-sample term,
/// beside the exact KL(q || p(z|x)) and log p(x). The identity log p(x) = ELBO(q) + KL(q || p(z|x)) makes
/// Discrepancy zero up to Monte Carlo error.
/// </summary>
/// <param name="VariancePerSample">N times the variance of the estimate: the term's variance under plain Monte Carlo, less under a sampler that helps.</param>
public sealed record ElboEstimate(string Name, long Samples, double Elbo, double StandardError, double TermStandardDeviation, double Kl, double LogMarginal,
    double VariancePerSample)
{
    /// <summary>The term's variance over N Var(estimate): how many plain draws one draw of the sampler is worth (1 for plain Monte Carlo).</summary>
    public double VarianceReduction => TermStandardDeviation * TermStandardDeviation / VariancePerSample;

    public double ElboPlusKl => Elbo + Kl;

    /// <summary>log p(x) - ELBO: estimates KL, never negative in expectation.</summary>
    public double Gap => LogMarginal - Elbo;

    /// <summary>ELBO + KL - log p(x): Monte Carlo error, and float rounding of the per-sample terms.</summary>
    public double Discrepancy => ElboPlusKl - LogMarginal;

    /// <summary>
    /// Relative size of float rounding in a per-sample term: about a hundred float ulps, the error of a few dozen float
    /// operations on values of the term's size.
    /// </summary>
    public const double FloatRounding = 1e-5;

    /// <summary>
    /// Whether the per-sample term is constant up to float rounding, as it is exactly when q = p(z|x). Then the standard
    /// error measures rounding, not sampling, and the discrepancy is compared with FloatRounding instead.
    /// </summary>
    public bool TermIsConstant => TermStandardDeviation <= FloatRounding * Math.Abs(LogMarginal);

    /// <summary>
    /// Whether the estimate's own spread is float rounding alone: where the term is constant, and under antithetic pairs
    /// where the term is odd in eps around the mean (a shifted q with the posterior's covariance), whose pair means are.
    /// For plain Monte Carlo the same test as TermIsConstant.
    /// </summary>
    public bool EstimateIsExact => StandardError <= FloatRounding * Math.Abs(LogMarginal) / Math.Sqrt(Samples);
}
