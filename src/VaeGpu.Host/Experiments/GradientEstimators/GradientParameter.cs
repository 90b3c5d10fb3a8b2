namespace VaeGpu.Host.Experiments.GradientEstimators;

/// <summary>The parameters of x ~ N(mu, sigma^2) that the testbed differentiates E[f(x)] with respect to.</summary>
public enum GradientParameter
{
    Mu,
    Sigma,
}
