namespace VaeGpu.Host.Experiments.GradientEstimators;

/// <summary>A whole run (or the merge of its shards): settings, the quadrature's answers and each estimator's statistics.</summary>
public sealed record GaussianVarianceResult(GaussianVarianceSettings Settings, ExactGradients Exact, IReadOnlyList<EstimatorStatistics> Estimators)
{
    /// <summary>Single-sample gradients formed per second by one estimator pass (both parameters), over all passes.</summary>
    public double SamplesPerSecond => Estimators.Sum(e => (double)e.Mu.Count) / Estimators.Sum(e => e.Seconds);
}
