using VaeGpu.Host.Files;
using VaeGpu.Runtime;

namespace VaeGpu.Host.Experiments.ImplicitGradients;

/// <summary>
/// Combines the shard files of one implicit-testbed run into the run's result: every file must carry the same settings,
/// shard count and chunk grid, and together the files must be shards 0 .. n-1 exactly once each.
/// </summary>
public static class ImplicitVarianceShardMerge
{
    public static ImplicitVarianceResult Merge(IReadOnlyList<(string Path, ImplicitVarianceShardFile File)> shards)
    {
        if (shards.Count == 0) throw new UserErrorException("merge: give the shard files of one run.");
        var (firstPath, first) = shards[0];
        foreach (var (path, file) in shards.Skip(1))
        {
            if (file.Settings != first.Settings)
                throw new UserErrorException($"merge: {path} has settings {Describe(file.Settings)} but {firstPath} has {Describe(first.Settings)}; merge only shards of one run.");
            if (file.Shard.Count != first.Shard.Count || file.ChunkLength != first.ChunkLength)
                throw new UserErrorException($"merge: {path} is shard {file.Shard} (chunk {file.ChunkLength}) but {firstPath} is {first.Shard} (chunk {first.ChunkLength}); merge only shards of one split.");
        }
        ShardSlice.RequireWholeSplit([.. shards.Select(s => (s.Path, s.File.Shard))]);
        var ordered = shards.OrderBy(s => s.File.Shard.Index).Select(s => s.File).ToList();
        var estimators = ImplicitGradientExperiment.Estimators.Select(estimator => ordered
            .Select(file => file.Estimators.First(e => e.Estimator == estimator))
            .Aggregate((a, b) => a.Merge(b))).ToList();
        return new(first.Settings, ImplicitExactGradients.Solve(first.Settings.Problem), estimators, ordered.Sum(file => file.Seconds));
    }

    static string Describe(ImplicitVarianceSettings s) =>
        FormattableString.Invariant($"({ImplicitVarianceReport.Describe(s)}, cost {ImplicitVarianceVocabulary.Costs.Name(s.Cost)}, k {s.K}, samples {s.Samples}, seed {s.Seed})");
}
