using VaeGpu.Host.Names;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using VaeGpu.Kernels;

namespace VaeGpu.Host.Experiments.GradientEstimators;

/// <summary>How a `vaegpu variance gaussian` result (single or merged) is printed: one JSON object, or a table.</summary>
public static class GaussianVarianceReport
{
    /// <summary>
    /// {"cost","k","mu","sigma","samples","exact":{"mu","sigma"},"estimators":{name:{"mu":{"mean","variance",
    /// "exact_variance"},"sigma":{...}}},"samples_per_second"}.
    /// </summary>
    public static string Json(GaussianVarianceResult result)
    {
        var settings = result.Settings;
        var estimators = new JsonObject();
        foreach (var e in result.Estimators)
        {
            var entry = new JsonObject();
            foreach (var parameter in Enum.GetValues<GradientParameter>())
            {
                var statistics = e.For(parameter);
                entry[VarianceVocabulary.Parameters.Name(parameter)] = new JsonObject
                {
                    ["mean"] = Finite(statistics.Mean),
                    ["variance"] = Finite(statistics.Variance),
                    ["exact_variance"] = result.Exact.For(e.Estimator, parameter).Variance,
                };
            }
            estimators[Vocabulary.Estimators.Name(e.Estimator)] = entry;
        }
        var document = new JsonObject
        {
            ["cost"] = Vocabulary.Costs.Name(settings.Cost),
            ["k"] = settings.K,
            ["mu"] = settings.Mu,
            ["sigma"] = settings.Sigma,
            ["samples"] = settings.Samples,
            ["seed"] = settings.Seed,
            ["exact"] = new JsonObject { ["mu"] = result.Exact.Mu, ["sigma"] = result.Exact.Sigma },
            ["estimators"] = estimators,
            ["samples_per_second"] = Finite(result.SamplesPerSecond),
        };
        return document.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }

    /// <summary>Per estimator and parameter: mean against the exact gradient in standard errors, variance against the exact one.</summary>
    public static string Table(GaussianVarianceResult result)
    {
        var s = result.Settings;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"gradient of E[f(x)], f(x) = {VarianceVocabulary.Formula(s.Cost)} with k = {Text(s.K)}, x ~ N({Text(s.Mu)}, {Text(s.Sigma)}^2); " +
            $"N = {s.Samples} samples per estimator, seed {s.Seed}");
        text.AppendLine(CultureInfo.InvariantCulture, $"exact (quadrature): d/dmu = {result.Exact.Mu:G8}, d/dsigma = {result.Exact.Sigma:G8}; " +
            $"optimal baselines b_mu = {result.Exact.BaselineMu:G6}, b_sigma = {result.Exact.BaselineSigma:G6}");
        text.AppendLine($"{"estimator",-16}{"param",-7}{"mean",14}{"(mean-exact)/SE",17}{"variance",14}{"exact variance",16}{"ratio",8}");
        foreach (var e in result.Estimators)
            foreach (var parameter in Enum.GetValues<GradientParameter>())
            {
                var statistics = e.For(parameter);
                var exact = result.Exact.For(e.Estimator, parameter);
                double standardError = Math.Sqrt(statistics.Variance / statistics.Count);
                // An estimator that is exact (the delta method on a quadratic) has only float rounding left: no z-score, no ratio.
                bool exactEstimator = exact.Variance < 1e-20 * (1 + result.Exact.Gradient(parameter) * result.Exact.Gradient(parameter));
                string zScore = exactEstimator ? "exact" : ((statistics.Mean - result.Exact.Gradient(parameter)) / standardError).ToString("F2", CultureInfo.InvariantCulture);
                string ratio = exactEstimator ? "-" : (statistics.Variance / exact.Variance).ToString("F4", CultureInfo.InvariantCulture);
                text.AppendLine(CultureInfo.InvariantCulture, $"{Vocabulary.Estimators.Name(e.Estimator),-16}{VarianceVocabulary.Parameters.Name(parameter),-7}{statistics.Mean,14:G7}" +
                    $"{zScore,17}{statistics.Variance,14:G6}{exact.Variance,16:G6}{ratio,8}");
            }
        text.Append(CultureInfo.InvariantCulture, $"{result.SamplesPerSecond / 1e6:F1} million samples/s per estimator (both parameters per sample)");
        return text.ToString();
    }

    /// <summary>JSON has no NaN or infinity; a statistic that is not finite (fewer than 2 samples) is written as null.</summary>
    static JsonNode? Finite(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;

    static string Text(float value) => value.ToString(CultureInfo.InvariantCulture);
}
