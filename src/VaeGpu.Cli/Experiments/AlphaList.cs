using System.Globalization;

using VaeGpu.Runtime;

namespace VaeGpu.Cli.Experiments;

/// <summary>A comma-separated list of Rényi alphas (elbo-gap's --alphas, kl-fit's --alphas): parsed, checked, deduplicated, in the given order.</summary>
public static class AlphaList
{
    /// <summary>
    /// Each alpha must be a number from <paramref name="lowest"/> to <paramref name="highest"/>, the latter included only
    /// where <paramref name="highestIncluded"/>; <paramref name="why"/> says what the upper end means.
    /// </summary>
    public static IReadOnlyList<double> Parse(string flag, string text, double lowest, double highest, bool highestIncluded, string why)
    {
        var alphas = new List<double>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out double alpha) || !double.IsFinite(alpha))
                throw new UserErrorException($"{flag} {text}: '{part}' is not a number; give alphas separated by commas, e.g. 0.5,0,-1.");
            if (alpha < lowest || alpha > highest || (alpha == highest && !highestIncluded))
                throw new UserErrorException($"{flag} {text}: alpha {part} is out of range; use alphas from {Format(lowest)} to {Format(highest)}" +
                    $"{(highestIncluded ? "" : " (not included)")} ({why}).");
            if (!alphas.Contains(alpha)) alphas.Add(alpha);
        }
        return alphas;
    }

    public static string Format(double alpha) => alpha.ToString(CultureInfo.InvariantCulture);
}
