using System.Text.Json;
using System.Text.Json.Nodes;
using VaeGpu.Host.Experiments.GradientEstimators;
using VaeGpu.Host.Files;
using VaeGpu.Host.Names;
using VaeGpu.Runtime;

namespace VaeGpu.Host.Experiments.ImplicitGradients;

/// <summary>
/// A shard's sufficient statistics with the run's settings, as JSON with a ShardDigest: `vaegpu variance
/// gamma|beta|vonmises --shard i/n --out FILE` writes one (atomically), `vaegpu merge` reads them. Floats are written
/// as floats so they read back bit-identical.
/// </summary>
public sealed record ImplicitVarianceShardFile(ImplicitVarianceSettings Settings, ShardSlice Shard, int ChunkLength, double Seconds, IReadOnlyList<ImplicitEstimatorStatistics> Estimators)
{
    const string Format = "vaegpu-implicit-variance-shard-1";

    /// <summary>An implicit variance shard, known by its format field near the start (as the file is written, indented).</summary>
    public static readonly OutputKind Kind = new("an implicit variance shard", path => Is(path));

    /// <summary>Whether the file starts as an implicit variance shard does (merge tells shard kinds apart by it).</summary>
    public static bool Is(string path) =>
        System.Text.Encoding.UTF8.GetString(OutputKind.Start(path, 256)).Contains($"\"format\": \"{Format}\"", StringComparison.Ordinal);

    public void Write(string path)
    {
        var estimators = new JsonObject();
        foreach (var e in Estimators)
        {
            var entry = new JsonObject();
            foreach (var (parameter, statistics) in e.Terms.OrderBy(pair => pair.Key))
                entry[ImplicitVarianceVocabulary.Parameters.Name(parameter)] = new JsonObject
                {
                    ["count"] = statistics.Count,
                    ["mean"] = statistics.Mean,
                    ["squared_deviations"] = statistics.SquaredDeviations,
                };
            estimators[Vocabulary.Estimators.Name(e.Estimator)] = entry;
        }
        var document = new JsonObject
        {
            ["format"] = Format,
            ["distribution"] = ImplicitVarianceVocabulary.Distributions.Name(Settings.Distribution),
            ["cost"] = ImplicitVarianceVocabulary.Costs.Name(Settings.Cost),
            ["k"] = Settings.K,
            ["alpha"] = Settings.Alpha,
            ["beta"] = Settings.Beta,
            ["kappa"] = Settings.Kappa,
            ["samples"] = Settings.Samples,
            ["seed"] = Settings.Seed,
            ["shard"] = Shard.ToString(),
            ["chunk_length"] = ChunkLength,
            ["seconds"] = Seconds,
            ["estimators"] = estimators,
        };
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(ShardDigest.Sign(document), new JsonSerializerOptions { WriteIndented = true });
        AtomicFile.Write(path, stream => stream.Write(json));
    }

    /// <summary>
    /// Reads a shard file; anything unreadable or malformed is a one-line UserErrorException naming the file. The
    /// statistics must be what a shard of the stated run holds: the testbed's estimators once each, for the
    /// distribution's parameters, every count equal to the number of samples the shard's range covers.
    /// </summary>
    public static ImplicitVarianceShardFile Read(string path)
    {
        try
        {
            var root = JsonNode.Parse(ReadBounded(path)) as JsonObject ?? throw new FormatException("it is not a JSON object");
            if ((string?)root["format"] != Format) throw new FormatException($"not an implicit variance shard file (format is not {Format})");
            var settings = new ImplicitVarianceSettings(ImplicitVarianceVocabulary.Distributions.Parse(Required<string>(root, "distribution"), path),
                ImplicitVarianceVocabulary.Costs.Parse(Required<string>(root, "cost"), path), Required<float>(root, "k"),
                Required<float>(root, "alpha"), Required<float>(root, "beta"), Required<float>(root, "kappa"), Required<long>(root, "samples"), Required<ulong>(root, "seed"));
            settings.Validate();
            var shard = ShardSlice.Parse(Required<string>(root, "shard"));
            int chunkLength = Required<int>(root, "chunk_length");
            if (chunkLength < 1) throw new FormatException($"chunk_length {chunkLength} is not positive");
            double seconds = Required<double>(root, "seconds");
            if (!double.IsFinite(seconds) || seconds < 0) throw new FormatException("'seconds' is negative or not finite");
            long expected = shard.Range(settings.Samples, chunkLength).Count;
            var parameters = settings.Problem.Parameters;
            var estimators = (root["estimators"] as JsonObject ?? throw new FormatException("field 'estimators' is missing or not an object"))
                .Select(pair => new ImplicitEstimatorStatistics(Vocabulary.Estimators.Parse(pair.Key, path),
                    parameters.ToDictionary(parameter => parameter, parameter => Statistics(pair.Value, pair.Key, ImplicitVarianceVocabulary.Parameters.Name(parameter), expected))))
                .ToList();
            var names = estimators.Select(e => e.Estimator).ToList();
            var wanted = ImplicitGradientExperiment.Estimators;
            if (names.Count != wanted.Length || names.Distinct().Count() != names.Count || names.Except(wanted).Any())
                throw new FormatException($"it has statistics for {(names.Count == 0 ? "no estimator" : string.Join(", ", names.Select(Vocabulary.Estimators.Name)))}; a shard holds {string.Join(", ", wanted.Select(Vocabulary.Estimators.Name))} once each");
            // Last, so that a malformed field is named first; a well-formed shard that was edited fails here.
            ShardDigest.Require(root);
            return new(settings, shard, chunkLength, seconds, estimators);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or JsonException or FormatException
            or InvalidOperationException or ArgumentException or OverflowException)
        {
            throw new UserErrorException($"{path}: cannot read the shard file: {error.Message.ReplaceLineEndings(" ")}");
        }
    }

    /// <summary>A shard file is a few kB: more than 1 MiB (a wrong file, or /dev/zero) is refused before it is held.</summary>
    static string ReadBounded(string path)
    {
        const int MaxBytes = 1 << 20;
        InputFile.RequireRegular(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var buffer = new byte[MaxBytes + 1];
        int found = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        if (found > MaxBytes) throw new FormatException($"it is larger than {MaxBytes} bytes, too large for a shard file");
        return System.Text.Encoding.UTF8.GetString(buffer, 0, found);
    }

    /// <summary>The field as T; a missing field or one of another type says which.</summary>
    static T Required<T>(JsonObject node, string key) => node[key] is JsonValue value && value.TryGetValue(out T? result) && result is not null
        ? result
        : throw new FormatException($"field '{key}' is missing or not a {typeof(T).Name}");

    static TermStatistics Statistics(JsonNode? estimator, string name, string parameter, long expectedCount)
    {
        var node = (estimator as JsonObject)?[parameter] as JsonObject ?? throw new FormatException($"estimator '{name}' has no '{parameter}' object");
        var statistics = new TermStatistics(Required<long>(node, "count"), Required<double>(node, "mean"), Required<double>(node, "squared_deviations"));
        if (!double.IsFinite(statistics.Mean) || !double.IsFinite(statistics.SquaredDeviations) || statistics.SquaredDeviations < 0)
            throw new FormatException($"a statistic of '{name}' {parameter} is negative or not finite");
        if (statistics.Count != expectedCount)
            throw new FormatException($"'{name}' {parameter} counts {statistics.Count} samples where this shard of the run covers {expectedCount}");
        return statistics;
    }
}
