namespace VaeGpu.Kernels;

/// <summary>The single-sample gradient estimators the testbed compares.</summary>
public enum GradientEstimatorKind
{
    /// <summary>f(x) d/dtheta log N(x; mu, sigma^2): needs only f, but its variance grows with f's size.</summary>
    Score,

    /// <summary>(f(x) - b) d/dtheta log N(x; mu, sigma^2), b the variance-minimising constant per parameter.</summary>
    ScoreBaseline,

    /// <summary>f'(x) dx/dtheta with x = mu + sigma eps: f'(x) for mu, f'(x) eps for sigma.</summary>
    Pathwise,
}
