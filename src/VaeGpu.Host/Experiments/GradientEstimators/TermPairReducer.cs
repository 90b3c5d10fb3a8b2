using VaeGpu.Host.Experiments.MonteCarlo;
using VaeGpu.Runtime;

namespace VaeGpu.Host.Experiments.GradientEstimators;

/// <summary>
/// ChunkReducer for an operation that writes two quantities per sample (the d/dmu and d/dsigma terms of one
/// estimator) as a 2 x n tensor: each chunk's rows are reduced by IBackend.Sum and SumOfSquares into four floats, one
/// download brings them back, and the totals are added in double (SampleMoments). Chunk c holds samples
/// c * ChunkLength onwards of the range asked for.
/// </summary>
public sealed class TermPairReducer
{
    readonly IBackend backend;
    readonly Tensor chunk, totals;
    readonly Tensor[] results;
    readonly float[] downloaded = new float[4];

    public TermPairReducer(IBackend backend, int chunkLength)
    {
        this.backend = backend;
        ChunkLength = chunkLength;
        chunk = backend.Allocate(2, chunkLength);
        totals = backend.Allocate(1, 4);
        results = [.. Enumerable.Range(0, 4).Select(i => backend.View(totals, i, 1, 1))];
    }

    public int ChunkLength { get; }

    /// <summary>
    /// Calls fill(terms, first) for consecutive chunks of samples first .. first + count - 1, terms being 2 x n views
    /// of the chunk buffer, and returns the moments of row 0 and of row 1 of everything written.
    /// </summary>
    public (SampleMoments Mu, SampleMoments Sigma) Reduce(long first, long count, Action<Tensor, long> fill)
    {
        SampleMoments mu = default, sigma = default;
        for (long done = 0; done < count; done += ChunkLength)
        {
            int length = (int)Math.Min(ChunkLength, count - done);
            var terms = length == ChunkLength ? chunk : backend.View(chunk, 0, 2, length);
            fill(terms, first + done);
            var muRow = backend.View(terms, 0, 1, length);
            var sigmaRow = backend.View(terms, length, 1, length);
            backend.Sum(muRow, results[0]);
            backend.SumOfSquares(muRow, results[1]);
            backend.Sum(sigmaRow, results[2]);
            backend.SumOfSquares(sigmaRow, results[3]);
            backend.Download(totals, downloaded);
            mu = mu.Add(length, downloaded[0], downloaded[1]);
            sigma = sigma.Add(length, downloaded[2], downloaded[3]);
        }
        return (mu, sigma);
    }
}
