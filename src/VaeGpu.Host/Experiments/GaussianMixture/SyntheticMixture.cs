using VaeGpu.Kernels;

namespace VaeGpu.Host.Experiments.GaussianMixture;

/// <summary>
/// The mixture `vaegpu em` fits when no data are given: three well-separated, differently shaped Gaussians in the
/// plane (mean distances 6.4 to 8 against standard deviations of at most 1.3), so EM should recover it.
/// </summary>
public static class SyntheticMixture
{
    public static GaussianMixture Truth { get; } = new(
        [0.5, 0.3, 0.2],
        [[0, 3], [-4, -2], [4, -2]],
        [[1.0, 0.5, 0.5, 1.0], [1.5, -0.6, -0.6, 0.8], [0.6, 0.0, 0.0, 1.2]]);

    /// <summary>
    /// count points of the mixture: point n's component from the uniform element n of (seed, SyntheticComponents),
    /// its point mu + L z with L the covariance's Cholesky factor and z elements n d + j of (seed, SyntheticNoise).
    /// </summary>
    public static PointSet Draw(GaussianMixture mixture, int count, ulong seed)
    {
        int d = mixture.Dimension;
        var factors = mixture.Covariances.Select(covariance => SmallCholesky.Factor(covariance, d)!).ToArray();
        var values = new float[count * d];
        for (int n = 0; n < count; n++)
        {
            int k = 0;
            double cumulative = mixture.Weights[0];
            while (k < mixture.Components - 1 && RandomMath.UniformAt(seed, EmStreams.SyntheticComponents, n) > cumulative) cumulative += mixture.Weights[++k];
            for (int a = 0; a < d; a++)
            {
                double coordinate = mixture.Means[k][a];
                for (int b = 0; b <= a; b++) coordinate += factors[k][a * d + b] * RandomMath.NormalAt(seed, EmStreams.SyntheticNoise, (long)n * d + b);
                values[n * d + a] = (float)coordinate;
            }
        }
        return new PointSet($"synthetic draw of {count} points (seed {seed})", values, count, d);
    }
}
