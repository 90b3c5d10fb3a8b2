using VaeGpu.Host.Names;
using System.Text.Json;
using System.Text.Json.Nodes;
using VaeGpu.Host.SafeTensors;
using VaeGpu.Runtime;
using VaeGpu.Host.Files;
using static VaeGpu.Host.Experiments.GradientEstimators.VarianceShardJson;

namespace VaeGpu.Host.Experiments.GradientEstimators;

/// <summary>
/// A shard's sufficient statistics with the run's settings, as JSON: `vaegpu variance gaussian --shard i/n --out FILE`
/// writes one (atomically), `vaegpu merge` reads them. Floats are written as floats so they read back bit-identical.
/// </summary>
public sealed record VarianceShardFile(GaussianVarianceSettings Settings, ShardSlice Shard, int ChunkLength, IReadOnlyList<EstimatorStatistics> Estimators)
{
    /// <summary>
    /// Version 2 carries a ShardDigest over its contents; version 1 (before it) is still read, its contents unchecked
    /// beyond their form.
    /// </summary>
    const string Format = "vaegpu-variance-shard-2", FormatWithoutDigest = "vaegpu-variance-shard-1";

    /// <summary>A variance shard, known by its format field near the start (as the file is written, indented).</summary>
    public static readonly OutputKind Kind = new("a variance shard", path =>
        System.Text.Encoding.UTF8.GetString(OutputKind.Start(path, 256)) is var start
        && (start.Contains($"\"format\": \"{Format}\"", StringComparison.Ordinal) || start.Contains($"\"format\": \"{FormatWithoutDigest}\"", StringComparison.Ordinal)));

    public void Write(string path)
    {
        var estimators = new JsonObject();
        foreach (var e in Estimators)
            estimators[Vocabulary.Estimators.Name(e.Estimator)] = new JsonObject { ["seconds"] = e.Seconds, ["mu"] = Node(e.Mu), ["sigma"] = Node(e.Sigma) };
        var document = new JsonObject
        {
            ["format"] = Format,
            ["cost"] = Vocabulary.Costs.Name(Settings.Cost),
            ["k"] = Settings.K,
            ["mu"] = Settings.Mu,
            ["sigma"] = Settings.Sigma,
            ["samples"] = Settings.Samples,
            ["seed"] = Settings.Seed,
            ["shard"] = Shard.ToString(),
            ["chunk_length"] = ChunkLength,
            ["estimators"] = estimators,
        };
        WriteSigned(path, document);
    }

    /// <summary>
    /// Reads a shard file; anything unreadable or malformed is a one-line UserErrorException naming the file. The
    /// statistics must be what a shard of the stated run holds: the testbed's three estimators once each, every count
    /// equal to the number of samples the shard's range covers.
    /// </summary>
    public static VarianceShardFile Read(string path)
    {
        try
        {
            var root = JsonNode.Parse(ReadBounded(path)) as JsonObject ?? throw new FormatException("it is not a JSON object");
            string? format = (string?)root["format"];
            if (format != Format && format != FormatWithoutDigest) throw new FormatException($"not a variance shard file (format is not {Format})");
            var settings = new GaussianVarianceSettings(Vocabulary.Costs.Parse(Required<string>(root, "cost"), path),
                Required<float>(root, "k"), Required<float>(root, "mu"), Required<float>(root, "sigma"), Required<long>(root, "samples"), Required<ulong>(root, "seed"));
            settings.Validate();
            var shard = ShardSlice.Parse(Required<string>(root, "shard"));
            int chunkLength = Required<int>(root, "chunk_length");
            if (chunkLength < 4 || chunkLength % 4 != 0) throw new FormatException($"chunk_length {chunkLength} is not a positive multiple of 4");
            long expected = shard.Range(settings.Samples, chunkLength).Count;
            var estimators = (root["estimators"] as JsonObject ?? throw new FormatException("field 'estimators' is missing or not an object"))
                .Select(pair => new EstimatorStatistics(Vocabulary.Estimators.Parse(pair.Key, path),
                    Statistics(pair.Value, pair.Key, "mu", expected), Statistics(pair.Value, pair.Key, "sigma", expected),
                    Required<double>(pair.Value as JsonObject ?? throw new FormatException($"estimator '{pair.Key}' is not an object"), "seconds")))
                .ToList();
            var names = estimators.Select(e => e.Estimator).ToList();
            if (names.Count != GaussianGradientExperiment.Estimators.Length || names.Distinct().Count() != names.Count || names.Except(GaussianGradientExperiment.Estimators).Any())
                throw new FormatException($"it has statistics for {(names.Count == 0 ? "no estimator" : string.Join(", ", names.Select(Vocabulary.Estimators.Name)))}; a shard holds {string.Join(", ", GaussianGradientExperiment.Estimators.Select(Vocabulary.Estimators.Name))} once each");
            if (estimators.Any(e => !double.IsFinite(e.Seconds) || e.Seconds < 0)) throw new FormatException("a 'seconds' is negative or not finite");
            // Last, so that a malformed field is named first; a well-formed shard that was edited fails here.
            if (format == Format) ShardDigest.Require(root);
            return new(settings, shard, chunkLength, estimators);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or JsonException or FormatException
            or InvalidOperationException or ArgumentException or OverflowException)
        {
            throw new UserErrorException($"{path}: cannot read the shard file: {error.Message.ReplaceLineEndings(" ")}");
        }
    }
}
