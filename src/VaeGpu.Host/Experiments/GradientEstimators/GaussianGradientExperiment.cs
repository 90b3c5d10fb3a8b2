using VaeGpu.Host.Files;
using System.Diagnostics;
using VaeGpu.Host.Experiments.MonteCarlo;
using VaeGpu.Kernels;
using VaeGpu.Runtime;
using VaeGpu.Runtime.Experiments.GradientEstimators;

namespace VaeGpu.Host.Experiments.GradientEstimators;

/// <summary>
/// The Monte Carlo side of `vaegpu variance gaussian`: for each estimator, the mean and variance of its single-sample
/// gradients over a slice of the Samples stream. Before that, from batches that depend on the seed alone: the
/// optimal baselines for ScoreBaseline (BaselineSamples draws of the Baseline stream) and, per estimator, a pilot mean
/// of each term (PilotSamples draws of the Pilot stream) that the kernels subtract so that float sums cancel little.
/// </summary>
public sealed class GaussianGradientExperiment
{
    /// <summary>The estimators the Gaussian testbed compares, in the order of every table and file (Stl is the VAE's alone).</summary>
    public static readonly GradientEstimator[] Estimators =
        [GradientEstimator.Score, GradientEstimator.ScoreBaseline, GradientEstimator.Pathwise, GradientEstimator.DeltaPathwise, GradientEstimator.MeasureValued];

    /// <summary>
    /// 2^18 samples, the grain of shards: long enough that the host path keeps both cores busy (2^16 left a third of
    /// the time to thread hand-offs), short enough that a 10^6-sample run still splits 4 ways.
    /// </summary>
    public const int DefaultChunkLength = 1 << 18;

    /// <summary>
    /// A sampled baseline b adds (b - b*)^2 E[s^2] to the exact variance at the optimal b*; with 2^20 draws that is
    /// about 2^-20 Var(f s^2) / E[s^2], under 1% of the variance even where the baseline removes nearly all of it
    /// (cos with k = 0.1). The pilot only centres the terms, so its precision does not matter.
    /// </summary>
    public const int BaselineSamples = 1 << 20, PilotSamples = 1 << 16;

    readonly IGradientEstimatorOperations operations;
    readonly TermPairReducer reducer;
    readonly GaussianVarianceSettings settings;
    readonly GradientEstimatorProblem problem;

    public GaussianGradientExperiment(IBackend backend, GaussianVarianceSettings settings, int chunkLength = DefaultChunkLength)
    {
        operations = GradientEstimatorOperations.For(backend);
        reducer = new TermPairReducer(backend, chunkLength);
        this.settings = settings;
        problem = settings.Problem;
        var baselines = reducer.Reduce(0, BaselineSamples, (terms, first) => operations.BaselineTerms(problem, settings.Seed, GradientEstimatorStreams.Baseline, first, terms));
        BaselineMu = (float)baselines.Mu.Mean;
        BaselineSigma = (float)baselines.Sigma.Mean;
    }

    public int ChunkLength => reducer.ChunkLength;

    /// <summary>The sampled optimal baselines (floats, as the kernel receives them).</summary>
    public float BaselineMu { get; }
    public float BaselineSigma { get; }

    /// <summary>Every estimator over the shard's slice of the run's samples.</summary>
    public IReadOnlyList<EstimatorStatistics> Run(ShardSlice shard) =>
        [.. GaussianGradientExperiment.Estimators.Select(estimator => Run(estimator, shard))];

    /// <summary>The pilot means of the estimator's two terms, which the kernels subtract (a function of the seed alone).</summary>
    public (float Mu, float Sigma) Centres(GradientEstimator estimator)
    {
        var pilot = reducer.Reduce(0, PilotSamples, (terms, first) =>
            operations.Terms(estimator, problem, BaselineMu, BaselineSigma, 0f, 0f, settings.Seed, GradientEstimatorStreams.Pilot, first, terms));
        return ((float)pilot.Mu.Mean, (float)pilot.Sigma.Mean);
    }

    public EstimatorStatistics Run(GradientEstimator estimator, ShardSlice shard)
    {
        var (centreMu, centreSigma) = Centres(estimator);
        var (start, count) = shard.Range(settings.Samples, ChunkLength);
        var clock = Stopwatch.StartNew();
        var (mu, sigma) = reducer.Reduce(start, count, (terms, first) =>
            operations.Terms(estimator, problem, BaselineMu, BaselineSigma, centreMu, centreSigma, settings.Seed, GradientEstimatorStreams.Samples, first, terms));
        return new(estimator, TermStatistics.FromCentred(mu, centreMu), TermStatistics.FromCentred(sigma, centreSigma), clock.Elapsed.TotalSeconds);
    }
}
