using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using VaeGpu.Host.Files;
using VaeGpu.Runtime;

namespace VaeGpu.Host.Evaluation;

/// <summary>
/// What makes two evaluation shards parts of one run: the model's bytes (SHA-256), the test images scored (TestData:
/// their DataDigest, or for a shard from before digests the --data and --test-fraction as given), the number of test
/// images scored, K, the batch (it fixes the random streams), the seed, the binarisation and the sampler of the K draws.
/// </summary>
public sealed record EvaluationSettings(string ModelSha256, string TestData, int Images, int ImportanceSamples, int Batch, ulong Seed, string Binarize,
    string Sampler = "mc")
{
    public static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>TestData of a shard written before data digests: the data as the user named it.</summary>
    public static string NamedData(string data, string testFraction) => $"data {data}, test fraction {testFraction}";
}

/// <summary>
/// One shard of `vaegpu eval --shard i/n --out FILE`: its settings and the per-image scores of its slice of whole
/// batches of the test images, as JSON (doubles written so they read back bit-identical); `vaegpu merge` puts the
/// shards back together and prints what the unsharded eval prints, the same bits.
/// </summary>
public sealed record EvaluationShardFile(EvaluationSettings Settings, ShardSlice Shard, ImageScores Scores)
{
    /// <summary>
    /// Version 2 identifies its test images by DataDigest and carries a ShardDigest over its contents; version 1 (before
    /// both) is still read, its data compared by the --data and --test-fraction strings and its contents unchecked.
    /// </summary>
    public const string Format = "vaegpu-eval-shard-2", FormatWithoutDigests = "vaegpu-eval-shard-1";

    /// <summary>The --data and --test-fraction as given, written for the reader's information (not compared).</summary>
    public string Data { get; init; } = "";

    public string TestFraction { get; init; } = "";

    public static readonly OutputKind Kind = new("an evaluation shard", Is);

    /// <summary>More images than this per shard file are refused on reading (the file would be over ~100 MB).</summary>
    const int MaxImages = 2_000_000;

    public void Write(string path)
    {
        var s = Settings;
        var document = new JsonObject
        {
            ["format"] = Format,
            ["model_sha256"] = s.ModelSha256,
            ["data"] = Data,
            ["test_fraction"] = TestFraction,
            ["test_data_sha256"] = s.TestData,
            ["images"] = s.Images,
            ["iw"] = s.ImportanceSamples,
            ["batch"] = s.Batch,
            ["seed"] = s.Seed,
            ["binarize"] = s.Binarize,
            ["sampler"] = s.Sampler,
            ["shard"] = Shard.ToString(),
            ["negative_elbo"] = new JsonArray([.. Scores.NegativeElbo.Select(v => (JsonNode)v)]),
            ["kl"] = new JsonArray([.. Scores.Kl.Select(v => (JsonNode)v)]),
            ["log_likelihood"] = new JsonArray([.. Scores.LogLikelihood.Select(v => (JsonNode)v)]),
        };
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(ShardDigest.Sign(document));
        AtomicFile.Write(path, stream => stream.Write(json));
    }

    /// <summary>The first image and image count of this shard: whole batches, as ShardSlice cuts them.</summary>
    public static (int First, int Count) Range(ShardSlice shard, int images, int batch)
    {
        var (first, count) = shard.Range(images, batch);
        return ((int)first, (int)count);
    }

    /// <summary>True when the file is an evaluation shard (by its format field), for `vaegpu merge` to tell kinds apart.</summary>
    public static bool Is(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            var start = new byte[256];
            int found = stream.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
            string text = System.Text.Encoding.UTF8.GetString(start, 0, found);
            return text.Contains($"\"format\":\"{Format}\"", StringComparison.Ordinal) || text.Contains($"\"format\":\"{FormatWithoutDigests}\"", StringComparison.Ordinal);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Reads a shard file; anything unreadable, malformed or inconsistent is a one-line error naming the file.</summary>
    public static EvaluationShardFile Read(string path)
    {
        InputFile.RequireRegular(path);
        try
        {
            if (new FileInfo(path).Length > 128L << 20) throw new FormatException("it is larger than 128 MiB, too large for a shard file");
            var root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new FormatException("it is not a JSON object");
            string? format = (string?)root["format"];
            if (format != Format && format != FormatWithoutDigests) throw new FormatException($"not an evaluation shard file (format is not {Format})");
            bool digests = format == Format;
            string testData = digests ? Required<string>(root, "test_data_sha256") : EvaluationSettings.NamedData(Required<string>(root, "data"), Required<string>(root, "test_fraction"));
            var settings = new EvaluationSettings(Required<string>(root, "model_sha256"), testData,
                Required<int>(root, "images"), Required<int>(root, "iw"), Required<int>(root, "batch"), Required<ulong>(root, "seed"), Required<string>(root, "binarize"),
                // Shards from before --sampler drew independently.
                root["sampler"] is null ? "mc" : Required<string>(root, "sampler"));
            if (settings.Images < 1 || settings.Images > MaxImages || settings.Batch < 1 || settings.ImportanceSamples < 1)
                throw new FormatException("its images, batch or iw is out of range");
            var shard = ShardSlice.Parse(Required<string>(root, "shard"));
            int expected = Range(shard, settings.Images, settings.Batch).Count;
            double[] Values(string key)
            {
                var array = root[key] as JsonArray ?? throw new FormatException($"field '{key}' is missing or not an array");
                if (array.Count != expected) throw new FormatException($"'{key}' has {array.Count} scores where shard {shard} of {settings.Images} images in batches of {settings.Batch} has {expected}");
                return [.. array.Select(node => node is JsonValue value && value.TryGetValue(out double v) && double.IsFinite(v) ? v : throw new FormatException($"'{key}' holds a value that is not a finite number"))];
            }
            var scores = new ImageScores(Values("negative_elbo"), Values("kl"), Values("log_likelihood"));
            // Last, so that a malformed field is named first; a well-formed shard that was edited fails here.
            if (digests) ShardDigest.Require(root);
            return new(settings, shard, scores) { Data = (string?)root["data"] ?? "", TestFraction = (string?)root["test_fraction"] ?? "" };
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or JsonException or FormatException
            or InvalidOperationException or ArgumentException or OverflowException)
        {
            throw new UserErrorException($"{path}: cannot read the evaluation shard: {error.Message.ReplaceLineEndings(" ")}");
        }
    }

    /// <summary>
    /// The whole run's result from its shards: one settings for all, shards 0 .. n-1 exactly once each, scores put back
    /// in image order and averaged as the unsharded eval averages them.
    /// </summary>
    public static EvaluationResult Merge(IReadOnlyList<(string Path, EvaluationShardFile File)> shards)
    {
        var (firstPath, first) = shards[0];
        foreach (var (path, file) in shards.Skip(1))
            if (file.Settings.TestData != first.Settings.TestData)
                throw new UserErrorException($"merge: {path} scored other test images than {firstPath} (" +
                    (IsDigest(file.Settings.TestData) && IsDigest(first.Settings.TestData) ? "their SHA-256 differ"
                        : !IsDigest(file.Settings.TestData) && !IsDigest(first.Settings.TestData) ? "their data or test fraction differ"
                        : "one of them was written before shards recorded their data; rerun it") +
                    "); merge only shards of one run.");
            else if (file.Settings != first.Settings)
                throw new UserErrorException($"merge: {path} comes from another evaluation than {firstPath} (model, data, K, batch, seed, binarisation or sampler differ); merge only shards of one run.");
        ShardSlice.RequireWholeSplit([.. shards.Select(s => (s.Path, s.File.Shard))]);
        var scores = ImageScores.Concatenate(shards.OrderBy(s => s.File.Shard.Index).Select(s => s.File.Scores));
        return EvaluationResult.Of(scores, first.Settings.ImportanceSamples);
    }

    static bool IsDigest(string text) => text.Length == 64 && text.All(char.IsAsciiHexDigitLower);

    static T Required<T>(JsonObject node, string key) => node[key] is JsonValue value && value.TryGetValue(out T? result) && result is not null
        ? result
        : throw new FormatException($"field '{key}' is missing or not a {typeof(T).Name}");
}
