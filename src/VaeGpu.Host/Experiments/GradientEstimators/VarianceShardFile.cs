using System.Text.Json;
using System.Text.Json.Nodes;
using VaeGpu.Host.SafeTensors;
using VaeGpu.Runtime;
using VaeGpu.Host.Cli;

namespace VaeGpu.Host.Experiments.GradientEstimators;

/// <summary>
/// A shard's sufficient statistics with the run's settings, as JSON: `vaegpu variance gaussian --shard i/n --out FILE`
/// writes one (atomically), `vaegpu merge` reads them. Floats are written as floats so they read back bit-identical.
/// </summary>
public sealed record VarianceShardFile(GaussianVarianceSettings Settings, ShardSlice Shard, int ChunkLength, IReadOnlyList<EstimatorStatistics> Estimators)
{
    const string Format = "vaegpu-variance-shard-1";

    /// <summary>Fails before any computing when <paramref name="path"/> cannot be a file: its folder must exist.</summary>
    public static void CheckWritable(string path)
    {
        if (!string.IsNullOrWhiteSpace(path) && Directory.Exists(path))
            throw new UserErrorException($"--out {path}: is a folder; a shard's --out names the JSON file to write.");
        if (!string.IsNullOrWhiteSpace(path) && !Directory.Exists(Path.GetDirectoryName(Path.GetFullPath(path))))
            throw new UserErrorException($"--out {path}: its folder does not exist; create it or choose another path.");
        OutputFile.Check("--out", path);
    }

    public void Write(string path)
    {
        var estimators = new JsonObject();
        foreach (var e in Estimators)
            estimators[VarianceNames.Of(e.Estimator)] = new JsonObject { ["seconds"] = e.Seconds, ["mu"] = Node(e.Mu), ["sigma"] = Node(e.Sigma) };
        var document = new JsonObject
        {
            ["format"] = Format,
            ["cost"] = VarianceNames.Of(Settings.Cost),
            ["k"] = Settings.K,
            ["mu"] = Settings.Mu,
            ["sigma"] = Settings.Sigma,
            ["samples"] = Settings.Samples,
            ["seed"] = Settings.Seed,
            ["shard"] = Shard.ToString(),
            ["chunk_length"] = ChunkLength,
            ["estimators"] = estimators,
        };
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(document, new JsonSerializerOptions { WriteIndented = true });
        AtomicFile.Write(path, stream => stream.Write(json));
    }

    /// <summary>Reads a shard file; anything unreadable or malformed is a one-line UserErrorException naming the file.</summary>
    public static VarianceShardFile Read(string path)
    {
        try
        {
            var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            if ((string?)root["format"] != Format) throw new FormatException($"not a variance shard file (format is not {Format})");
            var settings = new GaussianVarianceSettings(VarianceNames.ParseCost((string)root["cost"]!, $"{path}: cost"),
                (float)root["k"]!, (float)root["mu"]!, (float)root["sigma"]!, (long)root["samples"]!, (ulong)root["seed"]!);
            settings.Validate($"{path}: ");
            var shard = ShardSlice.Parse((string)root["shard"]!);
            int chunkLength = (int)root["chunk_length"]!;
            if (chunkLength < 4 || chunkLength % 4 != 0) throw new FormatException($"chunk_length {chunkLength} is not a positive multiple of 4");
            var estimators = root["estimators"]!.AsObject().Select(pair => new EstimatorStatistics(
                VarianceNames.ParseEstimator(pair.Key, path), Statistics(pair.Value!["mu"]!), Statistics(pair.Value!["sigma"]!), (double)pair.Value!["seconds"]!)).ToList();
            return new(settings, shard, chunkLength, estimators);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or JsonException or FormatException
            or InvalidOperationException or NullReferenceException or ArgumentException)
        {
            throw new UserErrorException($"{path}: cannot read the shard file: {error.Message.ReplaceLineEndings(" ")}");
        }
    }

    static JsonObject Node(TermStatistics statistics) => new()
    {
        ["count"] = statistics.Count,
        ["mean"] = statistics.Mean,
        ["squared_deviations"] = statistics.SquaredDeviations,
    };

    static TermStatistics Statistics(JsonNode node)
    {
        var statistics = new TermStatistics((long)node["count"]!, (double)node["mean"]!, (double)node["squared_deviations"]!);
        if (statistics.Count < 0 || !double.IsFinite(statistics.Mean) || !double.IsFinite(statistics.SquaredDeviations) || statistics.SquaredDeviations < 0)
            throw new FormatException("a statistic is negative or not finite");
        return statistics;
    }
}
