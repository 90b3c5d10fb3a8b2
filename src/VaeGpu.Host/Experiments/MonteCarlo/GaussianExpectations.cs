using MathNet.Numerics.Distributions;
using VaeGpu.Kernels;

namespace VaeGpu.Host.Experiments.MonteCarlo;

/// <summary>E[f(z)] for z ~ N(mu, sigma^2) in closed form, and how each f is written in output.</summary>
public static class GaussianExpectations
{
    public static double Exact(GaussianIntegrand integrand, double mu, double sigma) => integrand switch
    {
        GaussianIntegrand.Identity => mu,
        GaussianIntegrand.Square => mu * mu + sigma * sigma,
        GaussianIntegrand.Exp => Math.Exp(mu + 0.5 * sigma * sigma),
        GaussianIntegrand.Cos => Math.Cos(mu) * Math.Exp(-0.5 * sigma * sigma),
        GaussianIntegrand.Positive => Normal.CDF(0, 1, mu / sigma),
        GaussianIntegrand.Above4 => Normal.CDF(0, 1, (mu - 4) / sigma),
        _ => throw new ArgumentOutOfRangeException(nameof(integrand), integrand, "not a GaussianIntegrand."),
    };

    public static string Formula(GaussianIntegrand integrand) => integrand switch
    {
        GaussianIntegrand.Identity => "z",
        GaussianIntegrand.Square => "z^2",
        GaussianIntegrand.Exp => "exp(z)",
        GaussianIntegrand.Cos => "cos(z)",
        GaussianIntegrand.Positive => "1[z>0]",
        GaussianIntegrand.Above4 => "1[z>4]",
        _ => throw new ArgumentOutOfRangeException(nameof(integrand), integrand, "not a GaussianIntegrand."),
    };
}
