using System.Globalization;
using VaeGpu.Runtime;

namespace VaeGpu.Host.Experiments.GradientEstimators;

/// <summary>
/// Shard i of n (--shard i/n): a contiguous run of whole chunks of the sample range [0, N), chunks
/// floor(i C / n) .. floor((i + 1) C / n) - 1 of the C = ceil(N / chunk) chunks. The n slices are disjoint and cover
/// [0, N) exactly, and as the unsharded run uses the same chunk grid, every chunk is reduced identically either way:
/// a merge differs from the single run only by the double rounding of the combination.
/// </summary>
public readonly record struct ShardSlice(int Index, int Count)
{
    public const int MaxCount = 100_000;

    public static ShardSlice Whole => new(0, 1);

    /// <summary>"i/n" with 0 &lt;= i &lt; n; anything else is a UserErrorException.</summary>
    public static ShardSlice Parse(string text)
    {
        string[] parts = text.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int count)
            && count >= 1 && count <= MaxCount && index < count)
            return new(index, count);
        throw new UserErrorException($"--shard {text}: write i/n with shard count n from 1 to {MaxCount} and index i from 0 to n - 1 (e.g. 0/4).");
    }

    /// <summary>The first sample and the sample count of this shard of <paramref name="samples"/> in chunks of <paramref name="chunkLength"/>.</summary>
    public (long First, long Count) Range(long samples, int chunkLength)
    {
        long chunks = (samples + chunkLength - 1) / chunkLength;
        long firstChunk = chunks * Index / Count, endChunk = chunks * (Index + 1) / Count;
        long first = firstChunk * chunkLength, end = Math.Min(samples, endChunk * chunkLength);
        return (first, Math.Max(0, end - first));
    }

    public override string ToString() => $"{Index}/{Count}";
}
