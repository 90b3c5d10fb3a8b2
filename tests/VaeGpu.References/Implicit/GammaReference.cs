using MathNet.Numerics;

namespace VaeGpu.References;

/// <summary>
/// The implicit reparameterisation gradient of Gamma(alpha, 1) draws in double, from MathNet.Numerics' regularised
/// incomplete gamma functions alone: d log z / d alpha = -(dP(alpha, z)/dalpha) / (z p(z; alpha)), the derivative of P
/// (or of Q = 1 - P, whichever is smaller, so that the difference keeps its digits) by central differences with a step
/// of 1e-5 of alpha's scale (alpha below 1, sqrt(alpha) above: the width over which P changes), and
/// z p(z) = exp(alpha log z - z - log Gamma(alpha)). MathNet returns P = 0 below z ~ 1e-15, so there P is the
/// definition's first terms, z^alpha e^-z / Gamma(alpha + 1) (1 + z / (alpha + 1)), exact to 1e-20 relative; below
/// z = 1e-300, out of double's range, its limit -(log z - digamma(alpha + 1)) / alpha.
/// </summary>
public static class GammaReference
{
    const double SmallZ = 1e-10;

    public static double LogDerivative(double alpha, double logZ)
    {
        if (logZ < Math.Log(1e-300)) return -(logZ - SpecialFunctions.DiGamma(alpha + 1)) / alpha;
        double z = Math.Exp(logZ);
        double step = 1e-5 * (alpha < 1 ? alpha : Math.Sqrt(alpha));
        bool lower = z < SmallZ || LowerRegularized(alpha, z) < 0.5; // MathNet's Q is 1 where its P is 0
        double Cdf(double a) => lower ? LowerRegularized(a, z) : -SpecialFunctions.GammaUpperRegularized(a, z);
        double derivative = (Cdf(alpha + step) - Cdf(alpha - step)) / (2 * step);
        double zDensity = Math.Exp(alpha * logZ - z - SpecialFunctions.GammaLn(alpha));
        return -derivative / zDensity;
    }

    /// <summary>P(alpha, e^logZ), the Gamma(alpha, 1) CDF at the draw, for distribution tests.</summary>
    public static double Cdf(double alpha, double logZ) =>
        logZ < Math.Log(1e-300) ? Math.Exp(alpha * logZ - SpecialFunctions.GammaLn(alpha + 1)) : LowerRegularized(alpha, Math.Exp(logZ));

    static double LowerRegularized(double alpha, double z) => z < SmallZ
        ? Math.Exp(alpha * Math.Log(z) - z - SpecialFunctions.GammaLn(alpha + 1)) * (1 + z / (alpha + 1))
        : SpecialFunctions.GammaLowerRegularized(alpha, z);
}
