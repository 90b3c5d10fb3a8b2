using VaeGpu.Runtime;

namespace VaeGpu.Host.Names;

/// <summary>
/// The one spelling of each value of <typeparamref name="T"/> wherever a user or a file meets it: the command line
/// (AcceptOnlyFromAmong(Names), Parse), JSON, CSV, safetensors metadata and printed tables (Name). Every table is
/// found from Vocabulary.
/// </summary>
public sealed class NameTable<T> where T : struct
{
    readonly T[] values;
    readonly string[] names;

    /// <param name="noun">What a value is, as a refusal says it: "sampler", "estimator".</param>
    /// <param name="entries">Every value with its name, in the order listings show them.</param>
    public NameTable(string noun, params (T Value, string Name)[] entries)
    {
        Noun = noun;
        values = [.. entries.Select(entry => entry.Value)];
        names = [.. entries.Select(entry => entry.Name)];
    }

    public string Noun { get; }

    /// <summary>Every value the table names, in its order.</summary>
    public IReadOnlyList<T> Values => values;

    /// <summary>Every name, in the table's order (a fresh array, for AcceptOnlyFromAmong).</summary>
    public string[] Names => [.. names];

    /// <summary>The names of some values, in the order given: the choices of an option that takes only those.</summary>
    public string[] NamesOf(IEnumerable<T> chosen) => [.. chosen.Select(Name)];

    /// <summary>"a, b or c": the names as a refusal lists them.</summary>
    public string Choices => names.Length == 1 ? names[0] : $"{string.Join(", ", names[..^1])} or {names[^1]}";

    /// <summary>The value's name; a value the table lacks is a bug, not a user's error.</summary>
    public string Name(T value) => Array.IndexOf(values, value) is int index and >= 0
        ? names[index]
        : throw new ArgumentOutOfRangeException(nameof(value), value, $"no {Noun} name for it.");

    /// <summary>
    /// The value a name stands for, ignoring case: model and checkpoint metadata was read case-insensitively before
    /// this table (likelihood, optimizer, binarize), so every name keeps that.
    /// </summary>
    public bool TryParse(string text, out T value)
    {
        int index = Array.FindIndex(names, name => string.Equals(name, text, StringComparison.OrdinalIgnoreCase));
        value = index >= 0 ? values[index] : default;
        return index >= 0;
    }

    /// <summary>The value a name stands for, or a one-line refusal that lists the names, prefixed by <paramref name="source"/> (a file, say) when given.</summary>
    public T Parse(string text, string? source = null) => TryParse(text, out T value)
        ? value
        : throw new UserErrorException($"{(source is null ? "" : source + ": ")}unknown {Noun} '{text}': use one of {Choices}.");
}
