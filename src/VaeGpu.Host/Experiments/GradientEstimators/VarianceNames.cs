using VaeGpu.Kernels;
using VaeGpu.Runtime;

namespace VaeGpu.Host.Experiments.GradientEstimators;

/// <summary>How costs, estimators and parameters are spelt on the command line, in JSON and in CSV.</summary>
public static class VarianceNames
{
    public static string Of(GradientEstimatorCost cost) => cost switch
    {
        GradientEstimatorCost.Quadratic => "quadratic",
        GradientEstimatorCost.Exp => "exp",
        GradientEstimatorCost.Cos => "cos",
        _ => throw new ArgumentOutOfRangeException(nameof(cost), cost, "not a GradientEstimatorCost."),
    };

    public static string Of(GradientEstimator estimator) => estimator switch
    {
        GradientEstimator.Score => "score",
        GradientEstimator.ScoreBaseline => "score_baseline",
        GradientEstimator.Pathwise => "pathwise",
        GradientEstimator.DeltaPathwise => "pathwise_delta",
        GradientEstimator.MeasureValued => "measure_valued",
        _ => throw new ArgumentOutOfRangeException(nameof(estimator), estimator, "not a GradientEstimator."),
    };

    public static string Of(GradientParameter parameter) => parameter == GradientParameter.Mu ? "mu" : "sigma";

    /// <summary>The formula of the cost, for titles and tables.</summary>
    public static string Formula(GradientEstimatorCost cost) => cost switch
    {
        GradientEstimatorCost.Quadratic => "(x - k)^2",
        GradientEstimatorCost.Exp => "exp(-k x^2)",
        GradientEstimatorCost.Cos => "cos(k x)",
        _ => throw new ArgumentOutOfRangeException(nameof(cost), cost, "not a GradientEstimatorCost."),
    };

    public static GradientEstimatorCost ParseCost(string text, string option)
    {
        foreach (var cost in Enum.GetValues<GradientEstimatorCost>())
            if (Of(cost) == text) return cost;
        throw new UserErrorException($"{option} {text}: use one of {string.Join(", ", Enum.GetValues<GradientEstimatorCost>().Select(Of))}.");
    }

    public static GradientEstimator ParseEstimator(string text, string source)
    {
        foreach (var estimator in GaussianGradientExperiment.Estimators)
            if (Of(estimator) == text) return estimator;
        throw new UserErrorException($"{source}: unknown estimator '{text}'; expected {string.Join(", ", GaussianGradientExperiment.Estimators.Select(Of))}.");
    }
}
