using MathNet.Numerics.LinearAlgebra;
using VaeGpu.Host.Experiments.MonteCarlo;
using VaeGpu.Kernels;
using VaeGpu.Runtime;
using VaeGpu.Runtime.Experiments.ElboGap;

namespace VaeGpu.Host.Experiments.ElboGap;

/// <summary>
/// ELBO(q) = E_q[log p(x, z) - log q(z)] for one observation of a LinearGaussianModel, by Monte Carlo on the kernels:
/// the terms kernel fills a chunk with per-sample terms, the backend sums them and their squares.
/// </summary>
public sealed class ElboEstimator
{
    readonly IBackend backend;
    readonly LinearGaussianModel model;
    readonly Vector<double> x;
    readonly ulong seed;
    readonly IElboGapOperations operations;
    readonly ChunkReducer reducer;
    readonly Tensor parameters, z;
    readonly double logMarginal;

    public ElboEstimator(IBackend backend, LinearGaussianModel model, Vector<double> x, ulong seed)
    {
        this.backend = backend;
        this.model = model;
        this.x = x;
        this.seed = seed;
        operations = ElboGapOperations.For(backend);
        reducer = new ChunkReducer(backend);
        var (mean, covariance) = model.Posterior(x);
        Posterior = Gaussian.RoundedToFloat(mean, covariance);
        parameters = backend.Allocate(ElboGapParameters.Shape(model, Posterior, 0).ParameterCount, 1);
        z = backend.Allocate(reducer.ChunkLength, model.Latent);
        logMarginal = model.LogMarginal(x);
    }

    /// <summary>p(z|x), rounded to float as the candidates are, for the exact KL(q || p(z|x)).</summary>
    public Gaussian Posterior { get; }

    /// <summary>
    /// The terms are centred on their value at z = mean of q, computed here in double, and the centre is added back to
    /// the mean: without it the sum of squares of terms near, say, -10 would cancel catastrophically in the variance,
    /// and the posterior's constant term would show float noise of its size instead of the spread of its rounding.
    /// </summary>
    /// <param name="candidate">Which q this is: each draws its own samples (ElboGapStreams.QSamples).</param>
    public ElboEstimate Estimate(string name, Gaussian q, int candidate, long samples)
    {
        double centre = model.LogJoint(x, q.Mean) - q.LogDensity(q.Mean);
        var shape = ElboGapParameters.Shape(model, q, centre);
        backend.Upload(ElboGapParameters.Pack(model, x, q), parameters);
        var moments = reducer.Reduce(samples, (terms, chunk) =>
            operations.Terms(parameters, shape, seed, ElboGapStreams.QSamples(candidate, chunk), z.FirstRows(terms.Rows), terms));
        return new(name, samples, centre + moments.Mean, moments.StandardError, Math.Sqrt(moments.Variance), q.KlDivergence(Posterior), logMarginal, moments.Variance);
    }

    /// <summary>
    /// The Rényi bounds of q for each alpha (RenyiBound) from groups of <paramref name="k"/> consecutive samples of the
    /// same plain Monte Carlo draws as Estimate(name, q, candidate, samples): the terms kernel fills each chunk, the
    /// chunk comes back, and GroupedBounds forms each group's log-mean-exps in double with the centre added back.
    /// samples / k complete groups are used. Each bound's limit as k grows is log p(x) - D_alpha(q || p(z|x)).
    /// </summary>
    public BoundSandwich Bounds(string name, Gaussian q, int candidate, long samples, int k, IReadOnlyList<double> alphas)
    {
        var bounds = new GroupedBounds(k, alphas);
        if (samples / k < 2) throw new InvalidSettingException(nameof(samples), samples, $"{k} draws per group need at least {2 * k} samples for 2 groups.");
        double centre = model.LogJoint(x, q.Mean) - q.LogDensity(q.Mean);
        var shape = ElboGapParameters.Shape(model, q, centre);
        backend.Upload(ElboGapParameters.Pack(model, x, q), parameters);
        float[] downloaded = new float[reducer.ChunkLength];
        reducer.Reduce(samples / k * k, (terms, chunk) =>
        {
            operations.Terms(parameters, shape, seed, ElboGapStreams.QSamples(candidate, chunk), z.FirstRows(terms.Rows), terms);
            var values = downloaded.AsSpan(0, terms.Rows);
            backend.Download(terms, values);
            bounds.Add(values, centre);
        });
        return new BoundSandwich(name, logMarginal, bounds.Estimates(alpha => logMarginal - q.RenyiDivergence(Posterior, alpha)));
    }

    /// <summary>
    /// The ELBO of q from R independent replicates of coupled draws (antithetic pairs, a Latin hypercube or a scrambled
    /// Sobol set of N / R points in k dimensions each; the remainder of the split is not drawn): the estimate is the
    /// mean of the replicates' means, its error bar their spread, and the term's spread the replicates' pooled one.
    /// </summary>
    public ElboEstimate Estimate(string name, Gaussian q, int candidate, long samples, Sampler sampler, int replicates)
    {
        if (sampler == Sampler.Mc) return Estimate(name, q, candidate, samples);
        double centre = model.LogJoint(x, q.Mean) - q.LogDensity(q.Mean);
        var shape = ElboGapParameters.Shape(model, q, centre);
        backend.Upload(ElboGapParameters.Pack(model, x, q), parameters);
        int rows = (int)(samples / replicates / 2 * 2); // even, so antithetic pairs never straddle two replicates
        var (means, variances) = (new double[replicates], new double[replicates]);
        for (int replicate = 0; replicate < replicates; replicate++)
        {
            long firstRow = (long)replicate * rows;
            var moments = reducer.Reduce(rows, (terms, chunk) => operations.SampledTerms(parameters, shape, sampler, seed, ElboGapStreams.CoupledQSamples(candidate),
                firstRow + (long)chunk * reducer.ChunkLength, rows, z.FirstRows(terms.Rows), terms));
            (means[replicate], variances[replicate]) = (centre + moments.Mean, moments.Variance);
        }
        double mean = means.Average(), spread = means.Sum(m => (m - mean) * (m - mean)) / (replicates - 1);
        long drawn = (long)rows * replicates;
        return new(name, drawn, mean, Math.Sqrt(spread / replicates), Math.Sqrt(variances.Average()), q.KlDivergence(Posterior), logMarginal, spread / replicates * drawn);
    }
}
