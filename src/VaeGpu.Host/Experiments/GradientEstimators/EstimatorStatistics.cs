using VaeGpu.Kernels;

namespace VaeGpu.Host.Experiments.GradientEstimators;

/// <summary>One estimator's statistics for both parameters over a run or a shard, with the seconds its passes took.</summary>
public sealed record EstimatorStatistics(GradientEstimator Estimator, TermStatistics Mu, TermStatistics Sigma, double Seconds)
{
    public TermStatistics For(GradientParameter parameter) => parameter == GradientParameter.Mu ? Mu : Sigma;

    public EstimatorStatistics Merge(EstimatorStatistics other) => Estimator == other.Estimator
        ? new(Estimator, Mu.Merge(other.Mu), Sigma.Merge(other.Sigma), Seconds + other.Seconds)
        : throw new ArgumentException($"cannot merge {other.Estimator} into {Estimator}.", nameof(other));
}
