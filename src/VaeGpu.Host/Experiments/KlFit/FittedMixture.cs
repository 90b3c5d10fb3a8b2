namespace VaeGpu.Host.Experiments.KlFit;

/// <summary>
/// The reverse-KL fit of the two-component mixture q(z) = w N(m1, s1^2) + (1 - w) N(m2, s2^2): how it was obtained,
/// the result, its KL(q || p) by ReverseKlQuadrature, and q's parameters after every iteration (index 0 is the start).
/// </summary>
public sealed record FittedMixture(string Name, string Method, double Weight, double[] Means, double[] Sigmas, double ReverseKl,
    double[] WeightTrajectory, double[][] MeanTrajectories, double[][] SigmaTrajectories)
{
    /// <summary>The weights of the two components, w and 1 - w.</summary>
    public double[] Weights => [Weight, 1 - Weight];

    /// <summary>q(x), for drawing the fit.</summary>
    public double Density(double x) => ReverseKlQuadrature.MixtureDensity(Weights, Means, Sigmas, x);
}
