namespace VaeGpu.Host.Experiments.GradientEstimators;

/// <summary>
/// Exact moments of a single-sample estimator g by quadrature: its mean (the gradient, for an unbiased g), its
/// variance and its fourth central moment m4, which gives the spread of a sample variance: Var(s^2) ~ (m4 - var^2) / N.
/// </summary>
public sealed record EstimatorMoments(double Mean, double Variance, double FourthCentralMoment)
{
    /// <summary>The standard error of the sample variance of <paramref name="samples"/> draws (large-N form).</summary>
    public double VarianceStandardError(long samples) => Math.Sqrt(Math.Max(0, FourthCentralMoment - Variance * Variance) / samples);
}
