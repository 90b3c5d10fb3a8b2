namespace VaeGpu.Host.Experiments.ImplicitGradients;

/// <summary>
/// One testbed setting in double: the distribution in its working variable, and the cost f with its parameter k as
/// functions of u: f, and df/du = f'(z) dz/du, which times du/dtheta is the implicit estimator's term.
/// </summary>
public sealed class ImplicitProblem
{
    public ImplicitProblem(ImplicitDistribution distribution, ImplicitCost cost, double k, double alpha, double beta, double kappa)
    {
        Distribution = distribution;
        Cost = cost;
        K = k;
        Density = distribution switch
        {
            ImplicitDistribution.Gamma => new GammaDensity(alpha, beta),
            ImplicitDistribution.Beta => new BetaDensity(alpha, beta),
            ImplicitDistribution.VonMises => new VonMisesDensity(kappa),
            _ => throw new ArgumentOutOfRangeException(nameof(distribution), distribution, "not an ImplicitDistribution."),
        };
    }

    public ImplicitDistribution Distribution { get; }
    public ImplicitCost Cost { get; }
    public double K { get; }
    public ImplicitDensity Density { get; }

    public IReadOnlyList<ImplicitParameter> Parameters => Density.Parameters;

    /// <summary>
    /// The costs a distribution takes: log z needs z &gt; 0 (not an angle), and cos(k z) is the circle's cost (on the
    /// half-line its oscillation would need panels by the thousand at large k).
    /// </summary>
    public static IReadOnlyList<ImplicitCost> CostsOf(ImplicitDistribution distribution) => distribution == ImplicitDistribution.VonMises
        ? [ImplicitCost.Z, ImplicitCost.Square, ImplicitCost.Cos, ImplicitCost.Exp]
        : [ImplicitCost.Z, ImplicitCost.Square, ImplicitCost.Log, ImplicitCost.Exp];

    /// <summary>f(z(u)); log z from u directly, so that a Gamma draw below double's range still has its logarithm.</summary>
    public double CostAt(double u) => Cost switch
    {
        ImplicitCost.Z => Density.Z(u),
        ImplicitCost.Square => Math.Pow(Density.Z(u), 2),
        ImplicitCost.Log => Density.LogZ(u),
        ImplicitCost.Cos => Math.Cos(K * Density.Z(u)),
        ImplicitCost.Exp => Math.Exp(-K * Density.Z(u)),
        _ => throw new ArgumentOutOfRangeException(nameof(Cost), Cost, "not an ImplicitCost."),
    };

    /// <summary>df/du = f'(z) dz/du.</summary>
    public double CostSlope(double u) => Cost switch
    {
        ImplicitCost.Z => Density.ZSlope(u),
        ImplicitCost.Square => 2 * Density.Z(u) * Density.ZSlope(u),
        ImplicitCost.Log => Density.LogZSlope(u),
        ImplicitCost.Cos => -K * Math.Sin(K * Density.Z(u)) * Density.ZSlope(u),
        ImplicitCost.Exp => -K * Math.Exp(-K * Density.Z(u)) * Density.ZSlope(u),
        _ => throw new ArgumentOutOfRangeException(nameof(Cost), Cost, "not an ImplicitCost."),
    };

    /// <summary>
    /// How fast the cost's square changes with u where it oscillates or decays (cos, exp): the quadrature narrows its
    /// panels by it. The polynomial and log costs change no faster than the density's tails already demand.
    /// </summary>
    public double CostRate(double u) => Cost is ImplicitCost.Cos or ImplicitCost.Exp ? 2 * Math.Abs(K * Density.ZSlope(u)) : 0;
}
