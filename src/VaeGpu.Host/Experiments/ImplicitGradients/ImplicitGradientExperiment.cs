using System.Diagnostics;
using VaeGpu.Host.Experiments.GradientEstimators;
using VaeGpu.Host.Files;
using VaeGpu.Kernels;
using VaeGpu.Runtime;
using VaeGpu.Runtime.ImplicitDraws;

namespace VaeGpu.Host.Experiments.ImplicitGradients;

/// <summary>
/// The Monte Carlo side of `vaegpu variance gamma|beta|vonmises`: chunks of draws with their implicit gradients from
/// IImplicitDrawOperations on the device (element counters from the chunk's first sample, so a shard draws exactly its
/// slice of the whole run), read back, and every estimator's single-sample terms formed from the same draws in double
/// on the host: implicit f'(z) dz/dtheta, score f(z) s_theta(z), and score_baseline (f(z) - b_theta) s_theta(z) with
/// b_theta the optimal constant E[f s^2] / E[s^2] estimated from BaselineSamples draws of the Baseline stream (a
/// function of the seed alone, independent of the estimates, so the estimator stays unbiased).
/// </summary>
public sealed class ImplicitGradientExperiment
{
    /// <summary>The estimators the implicit testbeds compare, in the order of every table and file.</summary>
    public static readonly GradientEstimator[] Estimators = [GradientEstimator.Implicit, GradientEstimator.Score, GradientEstimator.ScoreBaseline];

    /// <summary>2^16 draws per chunk, the grain of shards: one read-back of 512 kB, and 10^6 samples still split 15 ways.</summary>
    public const int DefaultChunkLength = 1 << 16;

    /// <summary>
    /// A sampled baseline b adds (b - b*)^2 E[s^2] to the variance at the optimal b*: with 2^18 draws that is about
    /// 2^-18 Var(f s^2) / E[s^2], under 1% of the variance unless the baseline removes nearly all of it.
    /// </summary>
    public const int BaselineSamples = 1 << 18;

    readonly IBackend backend;
    readonly IImplicitDrawOperations operations;
    readonly ImplicitVarianceSettings settings;
    readonly ImplicitProblem problem;
    readonly Tensor parameters, draws, derivatives;
    readonly float[] drawValues, derivativeValues;
    readonly double[] u;
    readonly double[][] transport;

    public ImplicitGradientExperiment(IBackend backend, ImplicitVarianceSettings settings, int chunkLength = DefaultChunkLength)
    {
        this.backend = backend;
        this.settings = settings;
        problem = settings.Problem;
        operations = ImplicitDrawOperations.For(backend);
        ChunkLength = chunkLength;
        // Beta is the first coordinate of a Dirichlet(alpha, beta) row; Gamma and von Mises draw one element per sample.
        int columns = settings.Distribution == ImplicitDistribution.Beta ? 2 : 1;
        (parameters, draws, derivatives) = (backend.Allocate(chunkLength, columns), backend.Allocate(chunkLength, columns), backend.Allocate(chunkLength, columns));
        float[] values = settings.Distribution switch
        {
            ImplicitDistribution.Gamma => [.. Enumerable.Repeat(settings.Alpha, chunkLength)],
            ImplicitDistribution.Beta => [.. Enumerable.Range(0, 2 * chunkLength).Select(i => i % 2 == 0 ? settings.Alpha : settings.Beta)],
            _ => [.. Enumerable.Repeat(settings.Kappa, chunkLength)],
        };
        backend.Upload(values, parameters);
        (drawValues, derivativeValues) = (new float[chunkLength * columns], new float[chunkLength * columns]);
        u = new double[chunkLength];
        transport = [.. problem.Parameters.Select(_ => new double[chunkLength])];
        Baselines = SampledBaselines();
    }

    public int ChunkLength { get; }

    /// <summary>The sampled optimal baselines b_theta that ScoreBaseline subtracts.</summary>
    public IReadOnlyDictionary<ImplicitParameter, double> Baselines { get; }

    /// <summary>Every estimator over the shard's slice of the run's samples, and the seconds it took.</summary>
    public (IReadOnlyList<ImplicitEstimatorStatistics> Estimators, double Seconds) Run(ShardSlice shard)
    {
        var clock = Stopwatch.StartNew();
        var (start, count) = shard.Range(settings.Samples, ChunkLength);
        var parameterList = problem.Parameters;
        var totals = new TermStatistics[Estimators.Length, parameterList.Count];
        var terms = new double[ChunkLength];
        for (long done = 0; done < count; done += ChunkLength)
        {
            int length = Draw(ImplicitVarianceStreams.Samples, start + done, (int)Math.Min(ChunkLength, count - done));
            for (int e = 0; e < Estimators.Length; e++)
                for (int p = 0; p < parameterList.Count; p++)
                {
                    Terms(Estimators[e], parameterList[p], p, length, terms);
                    totals[e, p] = totals[e, p].Merge(ChunkStatistics(terms, length));
                }
        }
        IReadOnlyList<ImplicitEstimatorStatistics> estimators = [.. Estimators.Select((estimator, e) =>
            new ImplicitEstimatorStatistics(estimator, parameterList.Select((parameter, p) => (parameter, totals[e, p])).ToDictionary(pair => pair.parameter, pair => pair.Item2)))];
        return (estimators, clock.Elapsed.TotalSeconds);
    }

    /// <summary>b_theta = sum f s^2 / sum s^2 over the Baseline stream's first BaselineSamples draws.</summary>
    Dictionary<ImplicitParameter, double> SampledBaselines()
    {
        var parameterList = problem.Parameters;
        var (numerators, denominators) = (new double[parameterList.Count], new double[parameterList.Count]);
        for (long done = 0; done < BaselineSamples; done += ChunkLength)
        {
            int length = Draw(ImplicitVarianceStreams.Baseline, done, (int)Math.Min(ChunkLength, BaselineSamples - done));
            for (int p = 0; p < parameterList.Count; p++)
                for (int i = 0; i < length; i++)
                {
                    double score = problem.Density.Score(parameterList[p], u[i]);
                    numerators[p] += problem.CostAt(u[i]) * score * score;
                    denominators[p] += score * score;
                }
        }
        return parameterList.Select((parameter, p) => (parameter, numerators[p] / denominators[p])).ToDictionary(pair => pair.parameter, pair => pair.Item2);
    }

    /// <summary>
    /// Draws samples first .. first + length - 1 of the stream on the device and reads them back as u (the working
    /// variable of ImplicitDensity) and du/dtheta per parameter: Gamma u = log G - log beta, du/dalpha = d log G / d alpha,
    /// du/dbeta = -1 / beta; Beta u = log z - log(1 - z), du/dalpha = d log G1 / d alpha, du/dbeta = -d log G2 / d beta
    /// (z = G1 / (G1 + G2)); von Mises u = theta, du/dkappa from the kernel.
    /// </summary>
    int Draw(ulong stream, long first, int length)
    {
        int columns = parameters.Columns;
        var (shapes, values, gradients) = length == ChunkLength
            ? (parameters, draws, derivatives)
            : (backend.View(parameters, 0, length, columns), backend.View(draws, 0, length, columns), backend.View(derivatives, 0, length, columns));
        switch (settings.Distribution)
        {
            case ImplicitDistribution.Gamma: operations.Gamma(shapes, settings.Seed, stream, first, values, gradients); break;
            case ImplicitDistribution.Beta: operations.Dirichlet(shapes, settings.Seed, stream, first, values, gradients); break;
            default: operations.VonMises(shapes, settings.Seed, stream, first, values, gradients); break;
        }
        backend.Download(values, drawValues.AsSpan(0, length * columns));
        backend.Download(gradients, derivativeValues.AsSpan(0, length * columns));
        double logRate = Math.Log(settings.Beta);
        for (int i = 0; i < length; i++)
            switch (settings.Distribution)
            {
                case ImplicitDistribution.Gamma:
                    u[i] = drawValues[i] - logRate;
                    transport[0][i] = derivativeValues[i];
                    transport[1][i] = -1 / (double)settings.Beta;
                    break;
                case ImplicitDistribution.Beta:
                    u[i] = (double)drawValues[2 * i] - drawValues[2 * i + 1];
                    transport[0][i] = derivativeValues[2 * i];
                    transport[1][i] = -(double)derivativeValues[2 * i + 1];
                    break;
                default:
                    u[i] = drawValues[i];
                    transport[0][i] = derivativeValues[i];
                    break;
            }
        return length;
    }

    /// <summary>One estimator's single-sample terms for one parameter over the drawn chunk.</summary>
    void Terms(GradientEstimator estimator, ImplicitParameter parameter, int index, int length, double[] terms)
    {
        double baseline = Baselines[parameter];
        for (int i = 0; i < length; i++)
            terms[i] = estimator switch
            {
                GradientEstimator.Implicit => problem.CostSlope(u[i]) * transport[index][i],
                GradientEstimator.Score => problem.CostAt(u[i]) * problem.Density.Score(parameter, u[i]),
                GradientEstimator.ScoreBaseline => (problem.CostAt(u[i]) - baseline) * problem.Density.Score(parameter, u[i]),
                _ => throw new ArgumentOutOfRangeException(nameof(estimator), estimator, "not an implicit-testbed estimator."),
            };
    }

    /// <summary>A chunk's count, mean and squared deviations, both passes in double.</summary>
    static TermStatistics ChunkStatistics(double[] terms, int length)
    {
        double mean = 0;
        for (int i = 0; i < length; i++) mean += terms[i];
        mean /= length;
        double squared = 0;
        for (int i = 0; i < length; i++) squared += (terms[i] - mean) * (terms[i] - mean);
        return new(length, mean, squared);
    }
}
