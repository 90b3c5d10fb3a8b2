namespace VaeGpu.Host.Experiments.KlFit;

/// <summary>
/// One fit q = N(mu, sigma^2): how it was obtained, the result, its KL(q || p) by ReverseKlQuadrature (whichever
/// divergence it minimised, so that every fit compares with the mixture q's), and for the SGD fits the parameters after
/// every iteration (index 0 is the start).
/// </summary>
public sealed record FittedGaussian(string Name, string Method, double Mu, double Sigma, double ReverseKl,
    double[]? MuTrajectory = null, double[]? SigmaTrajectory = null)
{
    /// <summary>The forward fit: KL(p || q); the reverse fits: KL(q || p).</summary>
    public bool IsForward => Name.StartsWith("forward", StringComparison.Ordinal);
}
