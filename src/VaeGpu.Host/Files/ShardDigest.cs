using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace VaeGpu.Host.Files;

/// <summary>
/// A shard's digest over its own contents: the SHA-256 of the shard's JSON document without its "sha256" field,
/// written compactly after a parse (fields in their order, numbers as their text, strings escaped as .NET escapes
/// them), so indentation does not count but every field, name, value and score does. Written last into the shard;
/// merge recomputes it and refuses a shard whose contents were edited or damaged.
/// </summary>
public static class ShardDigest
{
    public const string Field = "sha256";

    /// <summary>The digest of a document (its "sha256" field, if any, left out).</summary>
    public static string Of(JsonObject document)
    {
        var copy = JsonNode.Parse(document.ToJsonString())!.AsObject();
        copy.Remove(Field);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(copy.ToJsonString())));
    }

    /// <summary>Adds the digest as the document's last field.</summary>
    public static JsonObject Sign(JsonObject document)
    {
        document[Field] = Of(document);
        return document;
    }

    /// <summary>Throws a FormatException (the readers' one-line error) when the stored digest is missing or differs.</summary>
    public static void Require(JsonObject document)
    {
        string stored = document[Field] is JsonValue value && value.TryGetValue(out string? text) && text is not null
            ? text
            : throw new FormatException($"field '{Field}' (the digest of its contents) is missing or not a String");
        if (stored != Of(document))
            throw new FormatException($"its contents do not match its {Field}: the file was edited or damaged after it was written; rerun this shard");
    }
}
