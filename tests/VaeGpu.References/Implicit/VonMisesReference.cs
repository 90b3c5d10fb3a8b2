using MathNet.Numerics.Integration;

namespace VaeGpu.References;

/// <summary>
/// The implicit gradient of von Mises(0) draws in double: dtheta/dkappa = -(dF/dkappa) / p(theta), the CDF F
/// (or 1 - F on the right half, so that the difference keeps its digits) by tanh-sinh quadrature of
/// e^(kappa (cos t - 1)) over the whole circle and up to theta, differentiated by central differences with a step of
/// 1e-5 of max(kappa, 1e-2); p(theta) = e^(kappa (cos theta - 1)) / that whole-circle integral.
/// </summary>
public static class VonMisesReference
{
    public static double Derivative(double kappa, double theta)
    {
        double step = 1e-5 * Math.Max(kappa, 1e-2);
        bool left = theta <= 0;
        double Tail(double k)
        {
            double Weight(double t) => Math.Exp(k * (Math.Cos(t) - 1));
            double part = left ? Integrate(Weight, -Math.PI, theta) : Integrate(Weight, theta, Math.PI);
            return part / Integrate(Weight, -Math.PI, Math.PI);
        }
        // F = Tail on the left; on the right F = 1 - Tail, so dF/dkappa = -dTail/dkappa.
        double derivative = (Tail(kappa + step) - Tail(kappa - step)) / (2 * step) * (left ? 1 : -1);
        double density = Math.Exp(kappa * (Math.Cos(theta) - 1)) / Integrate(t => Math.Exp(kappa * (Math.Cos(t) - 1)), -Math.PI, Math.PI);
        return -derivative / density;
    }

    /// <summary>F(theta; kappa), for distribution tests.</summary>
    public static double Cdf(double kappa, double theta)
    {
        double Weight(double t) => Math.Exp(kappa * (Math.Cos(t) - 1));
        return Integrate(Weight, -Math.PI, theta) / Integrate(Weight, -Math.PI, Math.PI);
    }

    /// <summary>
    /// Tanh-sinh (double-exponential) quadrature to 1e-13, split at 0: every piece then has its largest value at an end,
    /// where the rule's nodes crowd, so a narrow peak for large kappa is never missed.
    /// </summary>
    static double Integrate(Func<double, double> f, double from, double to)
    {
        if (from < 0 && to > 0) return Integrate(f, from, 0) + Integrate(f, 0, to);
        return DoubleExponentialTransformation.Integrate(f, from, to, 1e-13);
    }
}
