using MathNet.Numerics.LinearAlgebra;

namespace VaeGpu.Host.Experiments.ElboGap;

/// <summary>The approximations q(z) whose ELBO the experiment measures, from exact to poor.</summary>
public static class CandidatePosteriors
{
    /// <summary>
    /// For the posterior N(m, S): itself (gap 0); its covariance doubled and halved (too wide, too narrow); the best
    /// diagonal Gaussian, whose variances 1 / (S^-1)_jj are too small wherever S correlates the coordinates; the mean
    /// shifted by one posterior standard deviation in every coordinate; and the prior N(0, I), which ignores x.
    /// </summary>
    public static IReadOnlyList<(string Name, Gaussian Q)> For(Vector<double> mean, Matrix<double> covariance)
    {
        int k = mean.Count;
        var precision = covariance.Inverse();
        var meanField = Matrix<double>.Build.DenseDiagonal(k, k, j => 1 / precision[j, j]);
        var shifted = mean + Vector<double>.Build.Dense(k, j => Math.Sqrt(covariance[j, j]));
        return
        [
            ("posterior", Gaussian.RoundedToFloat(mean, covariance)),
            ("cov x2", Gaussian.RoundedToFloat(mean, 2 * covariance)),
            ("cov x1/2", Gaussian.RoundedToFloat(mean, 0.5 * covariance)),
            ("mean field", Gaussian.RoundedToFloat(mean, meanField)),
            ("shifted", Gaussian.RoundedToFloat(shifted, covariance)),
            ("prior", Gaussian.RoundedToFloat(Vector<double>.Build.Dense(k), Matrix<double>.Build.DenseIdentity(k))),
        ];
    }
}
