using VaeGpu.Host.Files;
using VaeGpu.Kernels;
using VaeGpu.Runtime;

namespace VaeGpu.Host.Experiments.GradientEstimators;

/// <summary>One point of the sweep: an estimator's variance for one parameter at one k, sampled and exact.</summary>
public sealed record VarianceSweepPoint(GradientEstimatorCost Cost, float K, GradientEstimator Estimator, GradientParameter Parameter,
    double Mean, double Exact, double Variance, double ExactVariance);

/// <summary>
/// `vaegpu variance gaussian --sweep`: every estimator's variance against k on the ranges of Mohamed et al. (2020,
/// figure 3): the quadratic cost for k in [-3, 3] on a linear axis, exp and cos for k from 0.1 to 10 on a log axis.
/// </summary>
public static class VarianceSweep
{
    public const int Points = 25;

    public static IReadOnlyList<float> Ks(GradientEstimatorCost cost) => cost == GradientEstimatorCost.Quadratic
        ? [.. Enumerable.Range(0, Points).Select(i => (float)(-3 + 6.0 * i / (Points - 1)))]
        : [.. Enumerable.Range(0, Points).Select(i => (float)Math.Pow(10, -1 + 2.0 * i / (Points - 1)))];

    public static bool LogK(GradientEstimatorCost cost) => cost != GradientEstimatorCost.Quadratic;

    public static IReadOnlyList<VarianceSweepPoint> Run(IBackend backend, float mu, float sigma, long samples, ulong seed)
    {
        var points = new List<VarianceSweepPoint>();
        foreach (var cost in Enum.GetValues<GradientEstimatorCost>())
            foreach (float k in Ks(cost))
            {
                var settings = new GaussianVarianceSettings(cost, k, mu, sigma, samples, seed);
                var exact = GradientQuadrature.Solve(cost, k, mu, sigma);
                foreach (var statistics in new GaussianGradientExperiment(backend, settings).Run(ShardSlice.Whole))
                    foreach (var parameter in Enum.GetValues<GradientParameter>())
                        points.Add(new(cost, k, statistics.Estimator, parameter, statistics.For(parameter).Mean, exact.Gradient(parameter),
                            statistics.For(parameter).Variance, exact.For(statistics.Estimator, parameter).Variance));
            }
        return points;
    }
}
