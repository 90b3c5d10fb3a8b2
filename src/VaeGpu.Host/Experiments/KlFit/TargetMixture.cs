using System.Globalization;
using VaeGpu.Kernels;
using VaeGpu.Runtime;

namespace VaeGpu.Host.Experiments.KlFit;

/// <summary>
/// The distribution p that q is fitted to: a one-dimensional Gaussian mixture, with its exact moments, which the
/// forward-KL fits must reproduce.
/// </summary>
public sealed class TargetMixture
{
    public double[] Weights { get; }
    public double[] Means { get; }
    public double[] StandardDeviations { get; }

    /// <summary>The form the kernels take.</summary>
    public UnivariateMixture Kernel { get; }

    public double Mean { get; }
    public double Variance { get; }

    /// <summary>E[(x - mean)^4]: the variance of a squared deviation is this minus Variance^2, for standard errors.</summary>
    public double FourthCentralMoment { get; }

    /// <param name="weights">Positive and summing to 1.</param>
    public TargetMixture(double[] weights, double[] means, double[] standardDeviations)
    {
        (Weights, Means, StandardDeviations) = (weights, means, standardDeviations);
        Kernel = UnivariateMixture.Create(weights, means, standardDeviations);
        Mean = Enumerable.Range(0, weights.Length).Sum(k => weights[k] * means[k]);
        double mean = Mean;
        Variance = Enumerable.Range(0, weights.Length).Sum(k => weights[k] * (standardDeviations[k] * standardDeviations[k] + (means[k] - mean) * (means[k] - mean)));
        FourthCentralMoment = Enumerable.Range(0, weights.Length).Sum(k =>
        {
            double offset = means[k] - mean, variance = standardDeviations[k] * standardDeviations[k];
            return weights[k] * (Math.Pow(offset, 4) + 6 * offset * offset * variance + 3 * variance * variance);
        });
    }

    /// <summary>p(x), for drawing the target.</summary>
    public double Density(double x) => Enumerable.Range(0, Weights.Length).Sum(k =>
        Weights[k] * Math.Exp(-0.5 * Math.Pow((x - Means[k]) / StandardDeviations[k], 2)) / (StandardDeviations[k] * Math.Sqrt(2 * Math.PI)));

    /// <summary>
    /// From comma-separated option values. Weights that are positive but do not sum to 1 are normalised, and
    /// <paramref name="note"/> says so; everything else that does not describe a mixture is an InvalidSettingException naming the setting.
    /// </summary>
    public static TargetMixture Parse(string weightsText, string meansText, string standardDeviationsText, out string? note)
    {
        double[] weights = List(nameof(Weights), weightsText), means = List(nameof(Means), meansText), deviations = List(nameof(StandardDeviations), standardDeviationsText);
        if (weights.Length > UnivariateMixture.MaxComponents)
            throw new InvalidSettingException(nameof(Weights), weightsText, $"at most {UnivariateMixture.MaxComponents} components are supported.");
        if (means.Length != weights.Length || deviations.Length != weights.Length)
            throw new InvalidSettingException([new(nameof(Weights), weightsText), new(nameof(Means), meansText), new(nameof(StandardDeviations), standardDeviationsText)],
                $"{weights.Length} weights, {means.Length} means and {deviations.Length} standard deviations: give one of each per component.");
        if (weights.Any(w => w <= 0))
            throw new InvalidSettingException(nameof(Weights), weightsText, "every weight must be positive.");
        if (deviations.Any(s => s <= 0))
            throw new InvalidSettingException(nameof(StandardDeviations), standardDeviationsText, "every standard deviation must be positive.");
        double total = weights.Sum();
        note = null;
        if (Math.Abs(total - 1) > 1e-9)
        {
            weights = [.. weights.Select(w => w / total)];
            note = $"the weights sum to {total.ToString("G6", CultureInfo.InvariantCulture)}: normalised to {Format(weights)}";
        }
        return new TargetMixture(weights, means, deviations);
    }

    static double[] List(string setting, string text)
    {
        string[] parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]))
                throw new InvalidSettingException(setting, text, $"'{parts[i]}' is not a finite number; give comma-separated numbers such as -2,2.");
        return values;
    }

    public static string Format(IEnumerable<double> values) =>
        string.Join(',', values.Select(v => v.ToString("G6", CultureInfo.InvariantCulture)));
}
