using MathNet.Numerics;

namespace VaeGpu.Host.Experiments.ImplicitGradients;

/// <summary>von Mises(0, kappa) on (-pi, pi], in u = z: log p(u) = kappa (cos u - 1) less its peak (0).</summary>
public sealed class VonMisesDensity(double kappa) : ImplicitDensity
{
    /// <summary>A(kappa) = I1(kappa) / I0(kappa) = E[cos z], from exponentially scaled Bessel functions (no overflow at kappa = 1e3).</summary>
    public double MeanResultant { get; } = SpecialFunctions.BesselIScaled(1, kappa) / SpecialFunctions.BesselIScaled(0, kappa);

    public override IReadOnlyList<ImplicitParameter> Parameters { get; } = [ImplicitParameter.Kappa];

    public override double Mode => 0;

    public override (double Low, double High) Support => (-Math.PI, Math.PI);

    public override double LogDensity(double u) => -2 * kappa * Math.Pow(Math.Sin(u / 2), 2);

    public override double Scale(double u) => 1 / Math.Sqrt(kappa * Math.Abs(Math.Cos(u)) + Math.Pow(kappa * Math.Sin(u), 2));

    /// <summary>A quarter radian at most, so that a flat density (small kappa) still gets a score's worth of nodes.</summary>
    public override double MaxPanelWidth(double u) => 0.25;

    /// <summary>d/dkappa log p = cos z - A(kappa).</summary>
    public override double Score(ImplicitParameter parameter, double u) => parameter == ImplicitParameter.Kappa
        ? Math.Cos(u) - MeanResultant
        : throw new ArgumentOutOfRangeException(nameof(parameter), parameter, "von Mises has kappa.");

    public override double Z(double u) => u;

    public override double LogZ(double u) => throw new InvalidOperationException("a von Mises draw is an angle: it has no logarithm.");

    public override double ZSlope(double u) => 1;

    public override double LogZSlope(double u) => throw new InvalidOperationException("a von Mises draw is an angle: it has no logarithm.");
}
