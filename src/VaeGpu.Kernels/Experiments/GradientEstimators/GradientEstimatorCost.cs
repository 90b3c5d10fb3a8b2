namespace VaeGpu.Kernels;

/// <summary>
/// The cost functions f(x) of the gradient-estimator testbed (Mohamed, Rosca, Figurnov &amp; Mnih 2020, section 3),
/// whose expectation under x ~ N(mu, sigma^2) is differentiated with respect to mu and sigma. Kernels receive the value
/// as an int.
/// </summary>
public enum GradientEstimatorCost
{
    /// <summary>f(x) = (x - k)^2.</summary>
    Quadratic,

    /// <summary>f(x) = exp(-k x^2); k >= 0 keeps E f finite.</summary>
    Exp,

    /// <summary>f(x) = cos(k x).</summary>
    Cos,
}
