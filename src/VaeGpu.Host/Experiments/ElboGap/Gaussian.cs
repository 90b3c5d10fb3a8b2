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
}
