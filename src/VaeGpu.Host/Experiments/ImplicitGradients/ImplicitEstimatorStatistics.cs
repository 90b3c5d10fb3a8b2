using VaeGpu.Host.Experiments.GradientEstimators;
using VaeGpu.Kernels;

namespace VaeGpu.Host.Experiments.ImplicitGradients;

/// <summary>One estimator's statistics for each parameter over a run or a shard.</summary>
public sealed record ImplicitEstimatorStatistics(GradientEstimator Estimator, IReadOnlyDictionary<ImplicitParameter, TermStatistics> Terms)
{
    public TermStatistics For(ImplicitParameter parameter) => Terms[parameter];

    public ImplicitEstimatorStatistics Merge(ImplicitEstimatorStatistics other) => Estimator == other.Estimator && Terms.Keys.Order().SequenceEqual(other.Terms.Keys.Order())
        ? new(Estimator, Terms.ToDictionary(pair => pair.Key, pair => pair.Value.Merge(other.Terms[pair.Key])))
        : throw new ArgumentException($"cannot merge {other.Estimator} into {Estimator}.", nameof(other));
}
