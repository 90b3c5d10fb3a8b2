using MathNet.Numerics;

namespace VaeGpu.Host.Experiments.ImplicitGradients;

/// <summary>
/// Beta(alpha, beta) in u = logit z: log z = -softplus(-u), log(1 - z) = -softplus(u), and log p(u) = alpha log z +
/// beta log(1 - z) (the Jacobian z (1 - z) included), exponential in both tails at rates alpha and beta.
/// </summary>
public sealed class BetaDensity(double alpha, double beta) : ImplicitDensity
{
    readonly double mode = Math.Log(alpha / beta);
    readonly double digammaSum = SpecialFunctions.DiGamma(alpha + beta), digammaAlpha = SpecialFunctions.DiGamma(alpha), digammaBeta = SpecialFunctions.DiGamma(beta);
    readonly double peak = Unnormalised(alpha, beta, Math.Log(alpha / beta));

    public override IReadOnlyList<ImplicitParameter> Parameters { get; } = [ImplicitParameter.Alpha, ImplicitParameter.Beta];

    public override double Mode => mode;

    public override double LogDensity(double u) => Unnormalised(alpha, beta, u) - peak;

    static double Unnormalised(double alpha, double beta, double u) => -alpha * Softplus(-u) - beta * Softplus(u);

    public override double Scale(double u)
    {
        double z = Math.Exp(LogZ(u));
        return 1 / Math.Sqrt((alpha + beta) * z * (1 - z) + Math.Pow(alpha - (alpha + beta) * z, 2));
    }

    /// <summary>softplus(u) = log(1 + e^u) bends within a few units of 0 (its poles lie at u = i pi): panels there are at most 1 wide, growing with |u|.</summary>
    public override double MaxPanelWidth(double u) => Math.Max(1, 0.5 * Math.Abs(u));

    /// <summary>d/dalpha = log z - digamma(alpha) + digamma(alpha + beta); d/dbeta = log(1 - z) - digamma(beta) + digamma(alpha + beta).</summary>
    public override double Score(ImplicitParameter parameter, double u) => parameter switch
    {
        ImplicitParameter.Alpha => -Softplus(-u) - digammaAlpha + digammaSum,
        ImplicitParameter.Beta => -Softplus(u) - digammaBeta + digammaSum,
        _ => throw new ArgumentOutOfRangeException(nameof(parameter), parameter, "Beta has alpha and beta."),
    };

    public override double Z(double u) => Math.Exp(LogZ(u));

    public override double LogZ(double u) => -Softplus(-u);

    public override double ZSlope(double u) => Math.Exp(-Softplus(-u) - Softplus(u));

    public override double LogZSlope(double u) => Math.Exp(-Softplus(u));

    /// <summary>log(1 + e^u) without overflow or lost digits.</summary>
    static double Softplus(double u) => Math.Max(u, 0) + Math.Log(1 + Math.Exp(-Math.Abs(u)));
}
