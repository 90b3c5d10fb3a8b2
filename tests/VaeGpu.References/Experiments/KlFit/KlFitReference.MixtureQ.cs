using NormalDistribution = MathNet.Numerics.Distributions.Normal;

namespace VaeGpu.References;

/// <summary>
/// The mixture q(z) = w N(m1, s1^2) + (1 - w) N(m2, s2^2) in double, from its definition: q's parameters as the
/// kernels order them (logit w, m1, m2, log s1, log s2); the inverse CDF by plain bisection on MathNet's normal CDF
/// (the upper half on the survival function, as float cannot resolve 1 - F there and double is only better); every
/// derivative by central finite differences of the double inverse CDF, never by the implicit formula under test.
/// </summary>
public sealed partial class KlFitReference
{
    /// <summary>Parameter step of the central differences: truncation ~h^2 = 1e-10, rounding ~1e-16 / h = 1e-11.</summary>
    const double DifferenceStep = 1e-5;

    /// <summary>
    /// draws is count x 6 as in the kernels: row i holds z = F_q^{-1}(u) and then dz/dtheta, with u the uniform of
    /// draw first + i: the top 23 bits of lane X0 of Philox block (seed, stream, first + i), as an odd multiple of 2^-24.
    /// </summary>
    public static void MixtureQDraws(ulong seed, ulong stream, long first, double[] q, float[] draws)
    {
        int count = draws.Length / 6;
        for (int i = 0; i < count; i++)
        {
            double u = MixtureQUniform(seed, stream, first + i);
            draws[6 * i] = (float)MixtureQInverseCdf(q, u);
            for (int parameter = 0; parameter < 5; parameter++)
                draws[6 * i + 1 + parameter] = (float)CentralDifference(q, parameter, shifted => MixtureQInverseCdf(shifted, u));
        }
    }

    /// <summary>
    /// terms is count x 5, a row per draw: the derivative with respect to each of q's parameters of log q(z) - log p(z) along
    /// z = F_q^{-1}(u; theta) at the draw's fixed u, by central differences of that whole per-draw objective, times scale.
    /// </summary>
    public void ReverseKlMixtureQTerms(ulong seed, ulong stream, long first, double[] q, double scale, float[] terms)
    {
        int count = terms.Length / 5;
        for (int i = 0; i < count; i++)
        {
            double u = MixtureQUniform(seed, stream, first + i);
            for (int parameter = 0; parameter < 5; parameter++)
                terms[5 * i + parameter] = (float)(scale * CentralDifference(q, parameter, shifted =>
                {
                    double z = MixtureQInverseCdf(shifted, u);
                    return Math.Log(MixtureQDensity(shifted, z)) - Math.Log(Density(z));
                }));
        }
    }

    /// <summary>F_q(z) = u by bisection between the components' +-40 sigma until the bracket stops shrinking.</summary>
    public static double MixtureQInverseCdf(double[] q, double u)
    {
        var (weight, sigma1, sigma2) = (1 / (1 + Math.Exp(-q[0])), Math.Exp(q[3]), Math.Exp(q[4]));
        bool upper = u > 0.5;
        double Phi(double t) => NormalDistribution.CDF(0, 1, t);
        double Residual(double z) => upper
            ? (1 - u) - (weight * Phi((q[1] - z) / sigma1) + (1 - weight) * Phi((q[2] - z) / sigma2))
            : weight * Phi((z - q[1]) / sigma1) + (1 - weight) * Phi((z - q[2]) / sigma2) - u;
        double low = Math.Min(q[1] - 40 * sigma1, q[2] - 40 * sigma2), high = Math.Max(q[1] + 40 * sigma1, q[2] + 40 * sigma2);
        while (true)
        {
            double middle = 0.5 * (low + high);
            if (middle <= low || middle >= high) return middle;
            if (Residual(middle) < 0) low = middle;
            else high = middle;
        }
    }

    public static double MixtureQDensity(double[] q, double z)
    {
        double weight = 1 / (1 + Math.Exp(-q[0]));
        return weight * NormalDistribution.PDF(q[1], Math.Exp(q[3]), z) + (1 - weight) * NormalDistribution.PDF(q[2], Math.Exp(q[4]), z);
    }

    static double MixtureQUniform(ulong seed, ulong stream, long sample) =>
        ((Philox4x32.ForBlock(seed, stream, sample).X0 >> 9) * 2.0 + 1) / 16777216.0;

    static double CentralDifference(double[] q, int parameter, Func<double[], double> f)
    {
        double[] plus = (double[])q.Clone(), minus = (double[])q.Clone();
        plus[parameter] += DifferenceStep;
        minus[parameter] -= DifferenceStep;
        return (f(plus) - f(minus)) / (2 * DifferenceStep);
    }
}
