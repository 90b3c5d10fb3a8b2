using System.Globalization;
using VaeGpu.Runtime;

namespace VaeGpu.Host.Files;

/// <summary>
/// Shard i of n (--shard i/n, or --shard auto from a cluster's job array): a contiguous run of whole chunks of the sample range [0, N), chunks
/// floor(i C / n) .. floor((i + 1) C / n) - 1 of the C = ceil(N / chunk) chunks. The n slices are disjoint and cover
/// [0, N) exactly, and as the unsharded run uses the same chunk grid, every chunk is reduced identically either way:
/// a merge differs from the single run only by the double rounding of the combination.
/// </summary>
public readonly record struct ShardSlice(int Index, int Count)
{
    public const int MaxCount = 100_000;

    /// <summary>The setting a refused shard text is given for (InvalidSettingException's name).</summary>
    public const string Shard = nameof(Shard);

    public static ShardSlice Whole => new(0, 1);

    /// <summary>
    /// --shard's value: "i/n"; "auto", the task of a Slurm job array (index SLURM_ARRAY_TASK_ID minus
    /// SLURM_ARRAY_TASK_MIN where set, count SLURM_ARRAY_TASK_COUNT); or "auto/n", a Kubernetes Indexed Job's
    /// JOB_COMPLETION_INDEX (or Slurm's index) with the count given. Anything missing, malformed or outside the array is
    /// an InvalidSettingException saying which variable.
    /// </summary>
    public static ShardSlice FromOption(string text, Func<string, string?> environment)
    {
        if (text != "auto" && !text.StartsWith("auto/", StringComparison.Ordinal)) return Parse(text);
        int Variable(string name, bool required, int fallback = 0)
        {
            string? value = environment(name);
            if (value is null)
                return required ? throw new InvalidSettingException(Shard, text, $"{name} is not set; run inside a job array, or give the shard as i/n.") : fallback;
            return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int number)
                ? number
                : throw new InvalidSettingException(Shard, text, $"{name} is '{value}', not a whole number.");
        }
        int index, count;
        if (text == "auto")
        {
            if (environment("SLURM_ARRAY_TASK_ID") is null && environment("JOB_COMPLETION_INDEX") is not null)
                throw new InvalidSettingException(Shard, text, "a Kubernetes Indexed Job does not say its size; give it as {Shard auto/N} (N = the job's completions).");
            index = Variable("SLURM_ARRAY_TASK_ID", required: true) - Variable("SLURM_ARRAY_TASK_MIN", required: false);
            count = Variable("SLURM_ARRAY_TASK_COUNT", required: true);
        }
        else
        {
            count = int.TryParse(text["auto/".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out int given) && given >= 1
                ? given
                : throw new InvalidSettingException(Shard, text, "write auto/N with the job's task count N, e.g. auto/8.");
            index = environment("JOB_COMPLETION_INDEX") is not null
                ? Variable("JOB_COMPLETION_INDEX", required: true)
                : Variable("SLURM_ARRAY_TASK_ID", required: true) - Variable("SLURM_ARRAY_TASK_MIN", required: false);
        }
        if (count < 1 || count > MaxCount)
            throw new InvalidSettingException(Shard, text, $"the array has {count} tasks; VaeGpu shards 1 to {MaxCount}.");
        if (index < 0 || index >= count)
            throw new InvalidSettingException(Shard, text, $"task index {index} is outside an array of {count} tasks (0 to {count - 1}); check the array's numbering.");
        return new(index, count);
    }

    /// <summary>"i/n" with 0 &lt;= i &lt; n; anything else is an InvalidSettingException.</summary>
    public static ShardSlice Parse(string text)
    {
        string[] parts = text.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int count)
            && count >= 1 && count <= MaxCount && index < count)
            return new(index, count);
        throw new InvalidSettingException(Shard, text, $"write i/n with shard count n from 1 to {MaxCount} and index i from 0 to n - 1 (e.g. 0/4).");
    }

    /// <summary>The first sample and the sample count of this shard of <paramref name="samples"/> in chunks of <paramref name="chunkLength"/>.</summary>
    public (long First, long Count) Range(long samples, int chunkLength)
    {
        long chunks = (samples + chunkLength - 1) / chunkLength;
        long firstChunk = chunks * Index / Count, endChunk = chunks * (Index + 1) / Count;
        long first = firstChunk * chunkLength, end = Math.Min(samples, endChunk * chunkLength);
        return (first, Math.Max(0, end - first));
    }

    /// <summary>
    /// Refuses a set of shard files that is not one split, whole: the same shard count in every file, each index
    /// 0 .. n-1 exactly once. The message names the file or shard that is wrong.
    /// </summary>
    public static void RequireWholeSplit(IReadOnlyList<(string Path, ShardSlice Shard)> shards)
    {
        if (shards.Count == 0) throw new UserErrorException("merge: give the shard files of one run.");
        var (firstPath, first) = shards[0];
        foreach (var (path, shard) in shards.Skip(1))
            if (shard.Count != first.Count)
                throw new UserErrorException($"merge: {path} is shard {shard} but {firstPath} is {first}; merge only shards of one split.");
        var duplicate = shards.GroupBy(s => s.Shard.Index).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new UserErrorException($"merge: shard {duplicate.Key}/{first.Count} is given more than once.");
        var missing = Enumerable.Range(0, first.Count).Except(shards.Select(s => s.Shard.Index)).ToList();
        if (missing.Count > 0)
            throw new UserErrorException($"merge: shard {missing[0]}/{first.Count} is missing ({missing.Count} of {first.Count} missing); give every shard of the run.");
    }

    public override string ToString() => $"{Index}/{Count}";
}
