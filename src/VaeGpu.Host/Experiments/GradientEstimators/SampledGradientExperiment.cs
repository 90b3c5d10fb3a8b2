using System.Diagnostics;
using VaeGpu.Kernels;
using VaeGpu.Runtime;
using VaeGpu.Runtime.Experiments.GradientEstimators;

namespace VaeGpu.Host.Experiments.GradientEstimators;

/// <summary>One parameter of a sampled estimator: the estimate, its error bar from the replicates' spread, and N times its variance.</summary>
/// <param name="VariancePerDraw">N Var(estimate), with N the samples drawn (normals, or measure-valued points): the variance one plain Monte Carlo draw would need to match it.</param>
public readonly record struct SampledTermStatistics(double Mean, double StandardError, double VariancePerDraw);

public sealed record SampledEstimatorStatistics(GradientEstimator Estimator, SampledTermStatistics Mu, SampledTermStatistics Sigma, double Seconds)
{
    public SampledTermStatistics For(GradientParameter parameter) => parameter == GradientParameter.Mu ? Mu : Sigma;
}

/// <summary>
/// Every one-normal estimator of the Gaussian testbed under an antithetic, stratified or RQMC sampler: the run's N
/// normals are split into R independent replicates (antithetic: N / (2R) pairs each; stratified and rqmc: N / R
/// points), the estimate is the mean of the replicates' means and its error bar their spread. Their variance times N
/// is the variance per draw, which divided into the exact variance of one plain draw is the sampler's variance
/// reduction for that estimator. The baselines and pilot centres are the plain run's (GaussianGradientExperiment).
/// The measure-valued estimator reads four uniforms per sample, so its points are four-dimensional (a Latin hypercube
/// or a scrambled Sobol set per replicate; antithetic: u and 1 - u), one per sample: N / R of them per replicate.
/// </summary>
public sealed class SampledGradientExperiment
{
    public static readonly GradientEstimator[] Estimators = GaussianGradientExperiment.Estimators;

    readonly IGradientEstimatorOperations operations;
    readonly TermPairReducer reducer;
    readonly GaussianVarianceSettings settings;
    readonly GaussianGradientExperiment plain;

    public SampledGradientExperiment(IBackend backend, GaussianVarianceSettings settings, Sampler sampler, int replicates)
    {
        if (sampler == Sampler.Mc) throw new ArgumentOutOfRangeException(nameof(sampler), sampler, "plain Monte Carlo is GaussianGradientExperiment's.");
        Sampler = sampler;
        Replicates = replicates;
        this.settings = settings;
        operations = GradientEstimatorOperations.For(backend);
        reducer = new TermPairReducer(backend, GaussianGradientExperiment.DefaultChunkLength);
        plain = new GaussianGradientExperiment(backend, settings);
    }

    public Sampler Sampler { get; }
    public int Replicates { get; }

    /// <summary>Points per replicate: pairs for Antithetic (two normals each), else single normals.</summary>
    public long PointsPerReplicate => settings.Samples / Replicates / (Sampler == Sampler.Antithetic ? 2 : 1);

    /// <summary>The normals the run draws in all: at most Samples (the remainder of the split is not drawn).</summary>
    public long Draws => PointsPerReplicate * Replicates * (Sampler == Sampler.Antithetic ? 2 : 1);

    public IReadOnlyList<SampledEstimatorStatistics> Run() => [.. Estimators.Select(Run)];

    public SampledEstimatorStatistics Run(GradientEstimator estimator)
    {
        var (centreMu, centreSigma) = plain.Centres(estimator);
        var problem = settings.Problem;
        long points = PointsPerReplicate;
        var clock = Stopwatch.StartNew();
        var (muMeans, sigmaMeans) = (new double[Replicates], new double[Replicates]);
        for (int replicate = 0; replicate < Replicates; replicate++)
        {
            var (mu, sigma) = reducer.Reduce(0, points, (terms, first) => operations.SampledTerms(estimator, Sampler, problem, plain.BaselineMu, plain.BaselineSigma,
                centreMu, centreSigma, settings.Seed, GradientEstimatorStreams.Samples, replicate, points, first, terms));
            muMeans[replicate] = centreMu + mu.Mean;
            sigmaMeans[replicate] = centreSigma + sigma.Mean;
        }
        return new(estimator, Summarise(muMeans), Summarise(sigmaMeans), clock.Elapsed.TotalSeconds);
    }

    SampledTermStatistics Summarise(double[] replicateMeans)
    {
        double mean = replicateMeans.Average();
        double variance = replicateMeans.Sum(m => (m - mean) * (m - mean)) / (replicateMeans.Length - 1);
        return new(mean, Math.Sqrt(variance / replicateMeans.Length), variance / replicateMeans.Length * Draws);
    }
}
