using System.Text.Json;
using System.Text.Json.Nodes;
using VaeGpu.Host.Experiments.GradientEstimators;
using VaeGpu.Host.Files;
using VaeGpu.Host.Names;
using VaeGpu.Runtime;
using static VaeGpu.Host.Experiments.GradientEstimators.VarianceShardJson;

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
                entry[ImplicitVarianceVocabulary.Parameters.Name(parameter)] = Node(statistics);
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
        WriteSigned(path, document);
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
}
