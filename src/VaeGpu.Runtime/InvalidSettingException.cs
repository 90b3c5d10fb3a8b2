using System.Text.RegularExpressions;

namespace VaeGpu.Runtime;

/// <summary>
/// A setting out of range, or settings that do not go together. The library names settings as a C# caller does
/// (ParamName is the first one's property or parameter name); a program with its own spellings (the command line's
/// flags) renders the same error with Render. The problem may name other settings as {Name} or {Name value}, e.g.
/// "use {Objective iwae} for the importance-weighted bound", so that advice is spelt the reader's way too.
/// </summary>
public sealed partial class InvalidSettingException : ArgumentException
{
    public InvalidSettingException(string setting, object value, string problem) : this([new(setting, Text(value))], problem) { }

    public InvalidSettingException(IReadOnlyList<SettingValue> settings, string problem)
        : base(problem, settings.Count > 0 ? settings[0].Name : Mention().Match(problem) is { Success: true } mention ? mention.Groups[1].Value : null)
    {
        Settings = settings;
        Problem = problem;
    }

    /// <summary>The settings at fault with their values, most to blame first; empty where the problem mentions them itself (e.g. the settings a memory need grows with).</summary>
    public IReadOnlyList<SettingValue> Settings { get; }

    /// <summary>What is wrong, with {Name} and {Name value} where it names a setting.</summary>
    public string Problem { get; }

    /// <summary>"Latent 0: the latent size must be 1 to 65536." (without ArgumentException's "(Parameter 'Latent')", which the text already says).</summary>
    public override string Message => Render(name => name, ", ");

    /// <summary>The error with every setting spelt by <paramref name="spell"/>, the leading ones joined by <paramref name="separator"/>.</summary>
    public string Render(Func<string, string> spell, string separator)
    {
        string problem = Mention().Replace(Problem, match => match.Groups[2].Success ? $"{spell(match.Groups[1].Value)} {match.Groups[2].Value}" : spell(match.Groups[1].Value));
        return Settings.Count == 0 ? problem : $"{string.Join(separator, Settings.Select(s => $"{spell(s.Name)} {s.Value}"))}: {problem}";
    }

    /// <summary>A value as an invariant-culture text: 0.5, not 0,5.</summary>
    public static string Text(object value) => value switch
    {
        IFormattable formattable => formattable.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    [GeneratedRegex(@"\{([A-Za-z][A-Za-z0-9]*)(?: ([^{}]+))?\}")]
    private static partial Regex Mention();
}
