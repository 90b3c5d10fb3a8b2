using VaeGpu.Host.Names;
using VaeGpu.Host.Files;
using VaeGpu.Runtime;

namespace VaeGpu.Host.Experiments.GradientEstimators;

/// <summary>
/// Combines the shard files of one run into the run's statistics: every file must carry the same settings, shard count
/// and chunk grid, and together the files must be shards 0 .. n-1 exactly once each.
/// </summary>
public static class VarianceShardMerge
{
    public static (GaussianVarianceSettings Settings, IReadOnlyList<EstimatorStatistics> Estimators) Merge(IReadOnlyList<(string Path, VarianceShardFile File)> shards)
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
        var estimators = first.Estimators.Select(e => e.Estimator).ToList();
        var merged = estimators.Select(estimator => shards.OrderBy(s => s.File.Shard.Index)
            .Select(s => s.File.Estimators.FirstOrDefault(e => e.Estimator == estimator)
                ?? throw new UserErrorException($"merge: {s.Path} has no statistics for {Vocabulary.Estimators.Name(estimator)}."))
            .Aggregate((a, b) => a.Merge(b))).ToList();
        return (first.Settings, merged);
    }

    static string Describe(GaussianVarianceSettings s) =>
        FormattableString.Invariant($"(cost {Vocabulary.Costs.Name(s.Cost)}, k {s.K}, mu {s.Mu}, sigma {s.Sigma}, samples {s.Samples}, seed {s.Seed})");
}
