namespace VaeGpu.Kernels;

/// <summary>
/// The single-sample estimators of a Gaussian's parameter gradient, E_q[f] with q = N(mu, sigma^2), that every part
/// of VaeGpu compares: the VAE's encoder (all four), the Gaussian testbed of `vaegpu variance gaussian` (Score,
/// ScoreBaseline, Pathwise). All are unbiased; they differ in variance. Passed into kernels as this one type.
/// </summary>
public enum GradientEstimator
{
    /// <summary>
    /// Reparameterisation through z = mu + sigma eps: f'(z) dz/dtheta (Kingma and Welling 2014); in the VAE the KL
    /// is in closed form.
    /// </summary>
    Pathwise,

    /// <summary>
    /// "Sticking the landing" (Roeder, Wu and Duvenaud 2017), VAE only: the single-sample ELBO log p(x, z) - log q(z|x)
    /// through z only, dropping the score term d/dphi log q(z|x) at fixed z, whose expectation is zero; its variance
    /// vanishes as q approaches the posterior.
    /// </summary>
    Stl,

    /// <summary>Score function (REINFORCE): f(z) d/dtheta log q(z), needing only f; its variance grows with f's size.</summary>
    Score,

    /// <summary>
    /// Score function with a control variate: (f(z) - b) d/dtheta log q(z). In the VAE b(x) is the mean NLL of
    /// independent draws; in the testbed b is the variance-minimising constant per parameter.
    /// </summary>
    ScoreBaseline,
}
