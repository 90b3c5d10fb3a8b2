using VaeGpu.Host.Names;
using VaeGpu.Kernels;

namespace VaeGpu.Host.Experiments.GradientEstimators;

/// <summary>How the testbed's parameters and cost formulas are spelt (costs and estimators: Names.Vocabulary).</summary>
public static class VarianceVocabulary
{
    /// <summary>The parameters in JSON keys, CSV columns, PNG names and table headers.</summary>
    public static readonly NameTable<GradientParameter> Parameters = new("parameter",
        (GradientParameter.Mu, "mu"),
        (GradientParameter.Sigma, "sigma"));

    /// <summary>The formula of the cost, for titles and tables.</summary>
    public static string Formula(GradientEstimatorCost cost) => cost switch
    {
        GradientEstimatorCost.Quadratic => "(x - k)^2",
        GradientEstimatorCost.Exp => "exp(-k x^2)",
        GradientEstimatorCost.Cos => "cos(k x)",
        _ => throw new ArgumentOutOfRangeException(nameof(cost), cost, "not a GradientEstimatorCost."),
    };
}
