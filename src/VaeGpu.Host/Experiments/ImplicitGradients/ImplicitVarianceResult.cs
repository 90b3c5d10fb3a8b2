namespace VaeGpu.Host.Experiments.ImplicitGradients;

/// <summary>A whole run (or the merge of its shards): settings, the quadrature's answers, each estimator's statistics, and the seconds the draws and terms took.</summary>
public sealed record ImplicitVarianceResult(ImplicitVarianceSettings Settings, ImplicitExactGradients Exact, IReadOnlyList<ImplicitEstimatorStatistics> Estimators, double Seconds)
{
    /// <summary>Draws per second, each with every estimator's terms for every parameter.</summary>
    public double SamplesPerSecond => Estimators[0].Terms.Values.First().Count / Seconds;
}
