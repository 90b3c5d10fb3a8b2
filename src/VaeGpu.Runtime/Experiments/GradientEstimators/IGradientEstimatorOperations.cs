using VaeGpu.Kernels;

namespace VaeGpu.Runtime.Experiments.GradientEstimators;

/// <summary>
/// The gradient-estimator testbed's operations beyond IBackend; reductions use IBackend.Sum and SumOfSquares. terms is a
/// 2 x count tensor: the d/dmu term of sample first + i in element i, the d/dsigma term in element count + i. first is
/// the index of the slice's first sample in the run's Philox stream and must be a multiple of 4 (a whole Philox block).
/// </summary>
public interface IGradientEstimatorOperations
{
    /// <summary>
    /// The estimator's single-sample gradients minus centreMu and centreSigma. The baselines are used by ScoreBaseline
    /// only (Score is the same estimator with baselines of 0).
    /// </summary>
    void Terms(GradientEstimator estimator, GradientEstimatorProblem problem, float baselineMu, float baselineSigma,
        float centreMu, float centreSigma, ulong seed, ulong stream, long first, Tensor terms);

    /// <summary>
    /// The one-normal estimator's terms, minus the centres, at points firstPoint .. firstPoint + n - 1 of replicate
    /// <paramref name="replicate"/> (of pointsPerReplicate points) under an Antithetic, Stratified or Rqmc sampler
    /// (GradientEstimatorMath.AtPoint). Score uses baselines of 0 whatever is passed.
    /// </summary>
    void SampledTerms(GradientEstimator estimator, Sampler sampler, GradientEstimatorProblem problem, float baselineMu, float baselineSigma,
        float centreMu, float centreSigma, ulong seed, ulong stream, int replicate, long pointsPerReplicate, long firstPoint, Tensor terms);

    /// <summary>The optimal-baseline numerators f eps^2 and f (eps^2 - 1)^2 / 2 (GradientEstimatorMath.Baseline).</summary>
    void BaselineTerms(GradientEstimatorProblem problem, ulong seed, ulong stream, long first, Tensor terms);
}
