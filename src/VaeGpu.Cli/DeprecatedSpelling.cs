using System.CommandLine;
using VaeGpu.Runtime;

namespace VaeGpu.Cli;

/// <summary>
/// An option's former spelling, still taken so that scripts written for earlier versions keep running: hidden from
/// help, and each use prints one warning line to stderr that names the spelling to use.
/// </summary>
sealed class DeprecatedSpelling<T>
{
    readonly Option<T> current;
    readonly string command;

    /// <param name="current">The option as it is spelt now.</param>
    /// <param name="former">The former spelling, e.g. --k.</param>
    /// <param name="command">The command as a user types it, e.g. "variance gaussian", for the warning.</param>
    public DeprecatedSpelling(Option<T> current, string former, string command)
    {
        this.current = current;
        this.command = command;
        Option = new Option<T>(former) { Hidden = true, Description = $"deprecated spelling of {current.Name}" };
    }

    /// <summary>The hidden option, for the command to take beside the current one.</summary>
    public Option<T> Option { get; }

    /// <summary>The value under whichever spelling was given (the current option's default when neither was); both is refused.</summary>
    public T Value(ParseResult parsed)
    {
        if (parsed.GetResult(Option) is null) return parsed.GetValue(current)!;
        if (parsed.GetResult(current) is { Implicit: false })
            throw new UserErrorException($"{Option.Name} and {current.Name}: {Option.Name} is the deprecated spelling of {current.Name}; give {current.Name} alone.");
        Console.Error.WriteLine($"vaegpu: warning: {Option.Name} is deprecated for {command}; use {current.Name}");
        return parsed.GetValue(Option)!;
    }
}
