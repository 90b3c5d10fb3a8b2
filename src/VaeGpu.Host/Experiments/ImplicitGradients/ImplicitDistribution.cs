namespace VaeGpu.Host.Experiments.ImplicitGradients;

/// <summary>The testbeds of `vaegpu variance gamma|beta|vonmises`: distributions with no location-scale transform.</summary>
public enum ImplicitDistribution
{
    /// <summary>Gamma(alpha, rate beta): z = G / beta with G ~ Gamma(alpha, 1).</summary>
    Gamma,

    /// <summary>Beta(alpha, beta): the first coordinate of a Dirichlet(alpha, beta) draw.</summary>
    Beta,

    /// <summary>von Mises(0, kappa) on (-pi, pi].</summary>
    VonMises,
}
