namespace VaeGpu.Kernels;

/// <summary>
/// The functions f whose expectation under z ~ N(mu, sigma^2) the Monte Carlo experiment estimates. Each has a closed
/// form, so the estimate's error is known exactly. Kernels receive the value as an int.
/// </summary>
public enum GaussianIntegrand
{
    /// <summary>f(z) = z; E f = mu.</summary>
    Identity,

    /// <summary>f(z) = z^2; E f = mu^2 + sigma^2.</summary>
    Square,

    /// <summary>f(z) = e^z; E f = e^(mu + sigma^2 / 2), the log-normal mean (heavy-tailed for large sigma).</summary>
    Exp,

    /// <summary>f(z) = cos z; E f = cos(mu) e^(-sigma^2 / 2), the real part of the characteristic function.</summary>
    Cos,

    /// <summary>f(z) = 1 when z > 0, else 0; E f = Phi(mu / sigma).</summary>
    Positive,

    /// <summary>f(z) = 1 when z > 4, else 0; E f = Phi((mu - 4) / sigma): a rare event for mu near 0 (3.2e-5 at N(0, 1)).</summary>
    Above4,
}
