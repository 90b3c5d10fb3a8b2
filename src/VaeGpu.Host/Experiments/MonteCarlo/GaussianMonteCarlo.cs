using System.Diagnostics;
using VaeGpu.Kernels;
using VaeGpu.Runtime;
using VaeGpu.Runtime.Experiments.MonteCarlo;

namespace VaeGpu.Host.Experiments.MonteCarlo;

/// <summary>
/// Estimates E[f(z)], z ~ N(mu, sigma^2), as the mean of f over N draws: the integrand kernel fills a chunk with f of
/// fresh samples, the backend reduces it, and the standard error is the sample standard deviation over sqrt(N).
/// </summary>
public sealed class GaussianMonteCarlo(IBackend backend, float mu, float sigma, ulong seed)
{
    readonly IMonteCarloOperations operations = MonteCarloOperations.For(backend);
    readonly ChunkReducer reducer = new(backend);

    /// <summary>Largest N the sweep and the single estimate accept: 10^4 chunks, minutes on the host path.</summary>
    public const long MaxSamples = 10_000_000_000;

    /// <param name="run">MonteCarloStreams.SingleEstimate, or the sweep's exponent: different runs draw disjoint samples.</param>
    public MonteCarloEstimate Estimate(GaussianIntegrand integrand, long samples, int run)
    {
        var clock = Stopwatch.StartNew();
        var moments = reducer.Reduce(samples, (values, chunk) =>
            operations.Integrand(integrand, mu, sigma, seed, MonteCarloStreams.Chunk(integrand, run, chunk), values));
        return new(integrand, samples, moments.Mean, moments.StandardError, GaussianExpectations.Exact(integrand, mu, sigma), clock.Elapsed.TotalSeconds);
    }

    /// <summary>Points whose mean is the constant the sums are taken about (see Estimate).</summary>
    const int PilotPoints = 4096;

    /// <summary>
    /// The estimate of E[f(z)] from <paramref name="samples"/> evaluations of f under the sampler. Mc: as Estimate above.
    /// Antithetic: N / 2 pairs, whose means are independent, so the standard error is theirs. Stratified and Rqmc: R
    /// independent replicates of M = N / R points each (R = <paramref name="replicates"/>); the estimate is the mean of
    /// the replicate means and its standard error their spread over sqrt(R), which is honest whatever the points'
    /// dependence within a replicate. Values are summed as f - c with c the mean of the first PilotPoints points (added
    /// back), so float sums keep the digits the faster samplers reach; any constant keeps the estimate unbiased.
    /// </summary>
    public MonteCarloEstimate Estimate(GaussianIntegrand integrand, long samples, int run, Sampler sampler, int replicates)
    {
        if (sampler == Sampler.Mc) return Estimate(integrand, samples, run);
        var clock = Stopwatch.StartNew();
        ulong stream = MonteCarloStreams.Chunk(integrand, run, 0);
        long points = sampler == Sampler.Antithetic ? samples / 2 : samples / replicates;
        int pointReplicates = sampler == Sampler.Antithetic ? 1 : replicates;
        SampleMoments Replicate(int replicate, long count, float shift) => reducer.Reduce(count, (values, chunk) =>
            operations.SampledIntegrand(integrand, sampler, mu, sigma, seed, stream, replicate, points, (long)chunk * reducer.ChunkLength, shift, values));
        float pilot = (float)Replicate(0, Math.Min(points, PilotPoints), 0f).Mean;
        double exact = GaussianExpectations.Exact(integrand, mu, sigma);
        if (sampler == Sampler.Antithetic)
        {
            var pairs = Replicate(0, points, pilot);
            return new(integrand, 2 * points, pilot + pairs.Mean, pairs.StandardError, exact, clock.Elapsed.TotalSeconds, sampler);
        }
        var means = new SampleMoments();
        for (int replicate = 0; replicate < pointReplicates; replicate++)
        {
            double mean = Replicate(replicate, points, pilot).Mean;
            means = means.Add(1, mean, mean * mean);
        }
        return new(integrand, points * pointReplicates, pilot + means.Mean, means.StandardError, exact, clock.Elapsed.TotalSeconds, sampler);
    }

    /// <summary>
    /// Importance sampling of E_p f from <paramref name="samples"/> draws of q = N(proposalMu, proposalSigma^2), in chunks
    /// of ChunkReducer's length: each chunk's three rows of terms are reduced on the device, and five sums come back.
    /// </summary>
    public ImportanceEstimate ImportanceEstimate(GaussianIntegrand integrand, long samples, int run, float proposalMu, float proposalSigma)
    {
        var clock = Stopwatch.StartNew();
        ulong stream = MonteCarloStreams.Chunk(integrand, run, 0);
        int chunkLength = ChunkReducer.DefaultChunkLength;
        importanceTerms ??= backend.Allocate(3, chunkLength);
        importanceSums ??= backend.Allocate(1, 5);
        var downloaded = new float[5];
        double wf = 0, w = 0, w2f = 0, wf2 = 0, w2 = 0;
        for (long first = 0; first < samples; first += chunkLength)
        {
            int count = (int)Math.Min(chunkLength, samples - first);
            var terms = count == chunkLength ? importanceTerms : backend.View(importanceTerms, 0, 3, count);
            operations.ImportanceTerms(integrand, mu, sigma, proposalMu, proposalSigma, seed, stream, first, terms);
            Tensor Row(int row) => backend.View(terms, row * count, 1, count);
            Tensor Sum(int index) => backend.View(importanceSums, index, 1, 1);
            backend.Sum(Row(0), Sum(0));
            backend.Sum(Row(1), Sum(1));
            backend.Sum(Row(2), Sum(2));
            backend.SumOfSquares(Row(0), Sum(3));
            backend.SumOfSquares(Row(1), Sum(4));
            backend.Download(importanceSums, downloaded);
            (wf, w, w2f, wf2, w2) = (wf + downloaded[0], w + downloaded[1], w2f + downloaded[2], wf2 + downloaded[3], w2 + downloaded[4]);
        }
        return MonteCarlo.ImportanceEstimate.From(integrand, samples, wf, w, w2f, wf2, w2, GaussianExpectations.Exact(integrand, mu, sigma), clock.Elapsed.TotalSeconds);
    }

    Tensor? importanceTerms, importanceSums;

    /// <summary>The slope of log(standard error) against log(N), least squares: -1/2 for independent draws.</summary>
    public static double StandardErrorSlope(IReadOnlyList<MonteCarloEstimate> sweep)
    {
        var points = sweep.Where(e => e.StandardError > 0).Select(e => (X: Math.Log(e.Samples), Y: Math.Log(e.StandardError))).ToList();
        if (points.Count < 2) return double.NaN;
        double meanX = points.Average(p => p.X), meanY = points.Average(p => p.Y);
        return points.Sum(p => (p.X - meanX) * (p.Y - meanY)) / points.Sum(p => (p.X - meanX) * (p.X - meanX));
    }

    /// <summary>N = 10^2, 10^3, ... up to <paramref name="maxSamples"/>, with each one's exponent (its run).</summary>
    public static IEnumerable<(long Samples, int Exponent)> SweepSizes(long maxSamples)
    {
        long samples = 100;
        for (int exponent = 2; samples <= maxSamples; exponent++, samples *= 10) yield return (samples, exponent);
    }
}
