using VaeGpu.Host.Experiments.MonteCarlo;
using System.CommandLine;
using System.Globalization;
using VaeGpu.Runtime;

namespace VaeGpu.Cli.Experiments;

/// <summary>A sample-count option that also takes scientific notation (--samples 1e6), as counts here run to 10^10.</summary>
public static class SampleCountOption
{
    public static Option<double> Create(string name, string description, double defaultValue) => new(name)
    {
        Description = $"{description} (an integer; 1e6 style accepted)",
        DefaultValueFactory = _ => defaultValue,
    };

    /// <summary>The option's value as a count, or a UserErrorException unless it is a whole number in [min, max].</summary>
    public static long Validate(string name, double value, long min, long max)
    {
        if (!double.IsFinite(value) || value != Math.Floor(value) || value < min || value > max)
            throw new UserErrorException($"{name} {value.ToString(CultureInfo.InvariantCulture)}: use a whole number of samples from {min} to {max:0.#e0}.");
        return (long)value;
    }
}
