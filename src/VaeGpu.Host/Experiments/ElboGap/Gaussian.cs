using MathNet.Numerics.LinearAlgebra;

namespace VaeGpu.Host.Experiments.ElboGap;

/// <summary>
/// A multivariate normal N(mean, factor factor^T) in double, given by its lower-triangular Cholesky factor, which is
/// what sampling (z = mean + L eps) and the log-determinant need.
/// </summary>
public sealed class Gaussian
{
    Gaussian(Vector<double> mean, Matrix<double> factor)
    {
        Mean = mean;
        Factor = factor;
        Covariance = factor * factor.Transpose();
    }

    public Vector<double> Mean { get; }
    public Matrix<double> Factor { get; }
    public Matrix<double> Covariance { get; }
    public int Dimension => Mean.Count;

    /// <summary>
    /// The Gaussian whose mean and Cholesky factor are the given ones rounded to float: exactly the q the float kernels
    /// sample from, so closed forms computed from it describe the samples without a rounding mismatch.
    /// </summary>
    public static Gaussian RoundedToFloat(Vector<double> mean, Matrix<double> covariance) =>
        new(mean.Map(v => (double)(float)v), covariance.Cholesky().Factor.Map(v => (double)(float)v));

    /// <summary>log det of the covariance, 2 sum log L_jj.</summary>
    public double LogDeterminant => 2 * Enumerable.Range(0, Dimension).Sum(j => Math.Log(Factor[j, j]));

    public double LogDensity(Vector<double> z)
    {
        var standardised = Factor.SolveLower(z - Mean);
        return -0.5 * (Dimension * Math.Log(2 * Math.PI) + LogDeterminant + standardised.DotProduct(standardised));
    }

    /// <summary>KL(this || other) = (tr(S^-1 A) + (m - a)^T S^-1 (m - a) - k + log det S - log det A) / 2 for this = N(a, A), other = N(m, S).</summary>
    public double KlDivergence(Gaussian other)
    {
        var otherPrecision = other.Covariance.Inverse();
        var difference = other.Mean - Mean;
        return 0.5 * ((otherPrecision * Covariance).Trace() + difference.DotProduct(otherPrecision * difference)
            - Dimension + other.LogDeterminant - LogDeterminant);
    }
    /// <summary>
    /// The Rényi divergence D_alpha(this || other) = 1 / (alpha - 1) log integral of q^alpha p^(1 - alpha), for this
    /// = q = N(a, A) and other = p = N(m, S): with S_alpha = alpha S + (1 - alpha) A and d = m - a,
    /// alpha / 2 d^T S_alpha^-1 d + (log det S_alpha - (1 - alpha) log det A - alpha log det S) / (2 (1 - alpha))
    /// (Gil, Alajaji and Linder 2013); KL(q || p) at alpha = 1. Outside (0, 1) the integral converges only where
    /// S_alpha is positive definite; elsewhere it diverges, and so does the divergence: negative infinity for
    /// alpha &lt; 0 (so the bound log p(x) - D_alpha is infinite), positive infinity for alpha &gt; 1.
    /// </summary>
    public double RenyiDivergence(Gaussian other, double alpha)
    {
        if (alpha == 1) return KlDivergence(other);
        var mixed = alpha * other.Covariance + (1 - alpha) * Covariance;
        var symmetric = 0.5 * (mixed + mixed.Transpose());
        if (symmetric.Evd(Symmetricity.Symmetric).EigenValues.Min(value => value.Real) <= 0)
            return alpha < 1 ? double.NegativeInfinity : double.PositiveInfinity;
        var cholesky = symmetric.Cholesky();
        var difference = other.Mean - Mean;
        double logDeterminant = 2 * Enumerable.Range(0, Dimension).Sum(j => Math.Log(cholesky.Factor[j, j]));
        return 0.5 * alpha * difference.DotProduct(cholesky.Solve(difference))
            + (logDeterminant - (1 - alpha) * LogDeterminant - alpha * other.LogDeterminant) / (2 * (1 - alpha));
    }
}
