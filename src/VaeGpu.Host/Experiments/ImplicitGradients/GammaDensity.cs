using MathNet.Numerics;

namespace VaeGpu.Host.Experiments.ImplicitGradients;

/// <summary>
/// Gamma(alpha, rate beta) in u = log z. With y = u - log(alpha / beta), log p(u) = alpha (u + log beta) - beta e^u
/// less its peak is -alpha (expm1(y) - y), which keeps its digits from alpha = 1e-3 to 1e4.
/// </summary>
public sealed class GammaDensity(double alpha, double beta) : ImplicitDensity
{
    readonly double mode = Math.Log(alpha / beta), digamma = SpecialFunctions.DiGamma(alpha), logBeta = Math.Log(beta);

    public override IReadOnlyList<ImplicitParameter> Parameters { get; } = [ImplicitParameter.Alpha, ImplicitParameter.Beta];

    public override double Mode => mode;

    public override double LogDensity(double u) => -alpha * (double.ExpM1(u - mode) - (u - mode)) is var value && !double.IsNaN(value) ? value : double.NegativeInfinity;

    public override double Scale(double u)
    {
        double growth = Math.Exp(u - mode);
        return 1 / Math.Sqrt(alpha * growth + Math.Pow(alpha * (growth - 1), 2));
    }

    /// <summary>d/dalpha = log z + log beta - digamma(alpha); d/dbeta = alpha / beta - z.</summary>
    public override double Score(ImplicitParameter parameter, double u) => parameter switch
    {
        ImplicitParameter.Alpha => u + logBeta - digamma,
        ImplicitParameter.Beta => alpha / beta - Math.Exp(u),
        _ => throw new ArgumentOutOfRangeException(nameof(parameter), parameter, "Gamma has alpha and beta."),
    };

    public override double Z(double u) => Math.Exp(u);

    public override double LogZ(double u) => u;

    public override double ZSlope(double u) => Math.Exp(u);

    public override double LogZSlope(double u) => 1;
}
