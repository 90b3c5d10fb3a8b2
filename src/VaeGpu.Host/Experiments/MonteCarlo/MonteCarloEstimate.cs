using VaeGpu.Kernels;

namespace VaeGpu.Host.Experiments.MonteCarlo;

/// <summary>One Monte Carlo estimate of E[f(z)] beside its exact value.</summary>
public sealed record MonteCarloEstimate(GaussianIntegrand Integrand, long Samples, double Estimate, double StandardError, double Exact, double Seconds,
    Sampler Sampler = Sampler.Mc)
{
    /// <summary>The standard normal's 97.5% quantile: estimate +- this many standard errors is a 95% interval.</summary>
    public const double Z95 = 1.959963984540054;

    public double AbsoluteError => Math.Abs(Estimate - Exact);
    public double Lower95 => Estimate - Z95 * StandardError;
    public double Upper95 => Estimate + Z95 * StandardError;
    public bool ExactWithin95 => Lower95 <= Exact && Exact <= Upper95;
}
