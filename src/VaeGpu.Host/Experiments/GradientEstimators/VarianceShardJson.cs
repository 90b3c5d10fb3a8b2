using System.Text.Json;
using System.Text.Json.Nodes;
using VaeGpu.Host.Files;

namespace VaeGpu.Host.Experiments.GradientEstimators;

/// <summary>
/// The JSON both estimator labs' shard files share (`variance gaussian` and `variance gamma|beta|vonmises`): the signed,
/// atomic write, the bounded read, required fields, and one parameter's sufficient statistics written and read back.
/// Errors are FormatExceptions, which each file's Read turns into its one-line message.
/// </summary>
static class VarianceShardJson
{
    /// <summary>A shard file is a few kB: more than 1 MiB (a wrong file, or /dev/zero) is refused before it is held.</summary>
    const int MaxBytes = 1 << 20;

    /// <summary>The document with its ShardDigest, indented (so the format field sits near the start), written atomically.</summary>
    public static void WriteSigned(string path, JsonObject document)
    {
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(ShardDigest.Sign(document), new JsonSerializerOptions { WriteIndented = true });
        AtomicFile.Write(path, stream => stream.Write(json));
    }

    public static string ReadBounded(string path)
    {
        InputFile.RequireRegular(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var buffer = new byte[MaxBytes + 1];
        int found = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        if (found > MaxBytes) throw new FormatException($"it is larger than {MaxBytes} bytes, too large for a shard file");
        return System.Text.Encoding.UTF8.GetString(buffer, 0, found);
    }

    /// <summary>The field as T; a missing field or one of another type says which.</summary>
    public static T Required<T>(JsonObject node, string key) => node[key] is JsonValue value && value.TryGetValue(out T? result) && result is not null
        ? result
        : throw new FormatException($"field '{key}' is missing or not a {typeof(T).Name}");

    public static JsonObject Node(TermStatistics statistics) => new()
    {
        ["count"] = statistics.Count,
        ["mean"] = statistics.Mean,
        ["squared_deviations"] = statistics.SquaredDeviations,
    };

    /// <summary>Estimator <paramref name="name"/>'s statistics of one parameter, which must count the samples the shard covers.</summary>
    public static TermStatistics Statistics(JsonNode? estimator, string name, string parameter, long expectedCount)
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
