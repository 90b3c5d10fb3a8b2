using VaeGpu.Runtime;

namespace VaeGpu.Host.Experiments.MonteCarlo;

/// <summary>
/// Moments of N per-sample values that never all exist at once: an operation writes up to ChunkLength of them into one
/// device tensor, IBackend.Sum and SumOfSquares reduce it, and the two totals come back to be added in double. Device
/// memory stays at one chunk whatever N is; only two floats per chunk cross to the host.
/// </summary>
public sealed class ChunkReducer
{
    /// <summary>4 MiB of floats: large enough that a launch's fixed cost vanishes, small enough for any device.</summary>
    public const int DefaultChunkLength = 1 << 20;

    readonly IBackend backend;
    readonly Tensor chunk, totals, sum, sumOfSquares;
    readonly float[] downloaded = new float[2];

    public ChunkReducer(IBackend backend, int chunkLength = DefaultChunkLength)
    {
        this.backend = backend;
        ChunkLength = chunkLength;
        chunk = backend.Allocate(chunkLength, 1);
        totals = backend.Allocate(1, 2);
        sum = backend.View(totals, 0, 1, 1);
        sumOfSquares = backend.View(totals, 1, 1, 1);
    }

    public int ChunkLength { get; }

    /// <summary>
    /// Calls fill(values, chunkIndex) for chunks 0, 1, ... of <paramref name="count"/> values in all, each values tensor
    /// being the first rows (as n x 1) of the chunk buffer, and returns the moments of everything written.
    /// </summary>
    public SampleMoments Reduce(long count, Action<Tensor, int> fill)
    {
        var moments = new SampleMoments();
        int chunkIndex = 0;
        for (long done = 0; done < count; done += ChunkLength, chunkIndex++)
        {
            int length = (int)Math.Min(ChunkLength, count - done);
            var values = length == ChunkLength ? chunk : chunk.FirstRows(length);
            fill(values, chunkIndex);
            backend.Sum(values, sum);
            backend.SumOfSquares(values, sumOfSquares);
            backend.Download(totals, downloaded);
            moments = moments.Add(length, downloaded[0], downloaded[1]);
        }
        return moments;
    }
}
