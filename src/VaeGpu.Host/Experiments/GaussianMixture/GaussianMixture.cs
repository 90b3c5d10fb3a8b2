using VaeGpu.Kernels;
using VaeGpu.Runtime;

namespace VaeGpu.Host.Experiments.GaussianMixture;

/// <summary>
/// A mixture of K Gaussians in d dimensions, in double: weights (summing to one), means (K rows of d) and full
/// covariances (K row-major d x d matrices).
/// </summary>
public sealed record GaussianMixture(double[] Weights, double[][] Means, double[][] Covariances)
{
    public int Components => Weights.Length;
    public int Dimension => Means[0].Length;

    /// <summary>
    /// The kernels' parameter vector (GaussianMixtureLayout): per component log w - log|Sigma| / 2 - d log(2 pi) / 2,
    /// the mean, and the inverse Cholesky factor, computed in double and rounded to float once.
    /// </summary>
    public float[] KernelParameters()
    {
        int d = Dimension;
        var packed = new float[Components * GaussianMixtureLayout.Stride(d)];
        for (int k = 0; k < Components; k++)
        {
            var lower = SmallCholesky.Factor(Covariances[k], d) ?? throw new UserErrorException(
                $"the covariance of component {k} is not positive definite (the points may lie in a lower-dimensional subspace): use fewer components or drop dependent columns.");
            packed[GaussianMixtureLayout.Constant(k, d)] =
                (float)(Math.Log(Weights[k]) - 0.5 * SmallCholesky.LogDeterminant(lower, d) - 0.5 * d * Math.Log(2 * Math.PI));
            for (int a = 0; a < d; a++) packed[GaussianMixtureLayout.Mean(k, d) + a] = (float)Means[k][a];
            var whitening = SmallCholesky.InverseLower(lower, d);
            for (int i = 0; i < d * d; i++) packed[GaussianMixtureLayout.Whitening(k, d) + i] = (float)whitening[i];
        }
        return packed;
    }
}
