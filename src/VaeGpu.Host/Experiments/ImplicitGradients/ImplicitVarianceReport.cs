using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using VaeGpu.Host.Names;
using VaeGpu.Kernels;

namespace VaeGpu.Host.Experiments.ImplicitGradients;

/// <summary>How a `vaegpu variance gamma|beta|vonmises` result (single or merged) is printed: one JSON object, or a table.</summary>
public static class ImplicitVarianceReport
{
    /// <summary>
    /// {"distribution","cost","k",parameter values,"samples","seed","exact":{parameter},"baselines":{parameter},
    /// "estimators":{name:{parameter:{"mean","standard_error","variance_per_draw","exact_variance"}}},"samples_per_second"}.
    /// </summary>
    public static string Json(ImplicitVarianceResult result)
    {
        var settings = result.Settings;
        var parameters = settings.Problem.Parameters;
        var estimators = new JsonObject();
        foreach (var e in result.Estimators)
        {
            var entry = new JsonObject();
            foreach (var parameter in parameters)
            {
                var statistics = e.For(parameter);
                entry[ImplicitVarianceVocabulary.Parameters.Name(parameter)] = new JsonObject
                {
                    ["mean"] = Finite(statistics.Mean),
                    ["standard_error"] = Finite(Math.Sqrt(statistics.Variance / statistics.Count)),
                    ["variance_per_draw"] = Finite(statistics.Variance),
                    ["exact_variance"] = result.Exact.For(e.Estimator, parameter) is { } exact ? Finite(exact.Variance) : null,
                };
            }
            estimators[Vocabulary.Estimators.Name(e.Estimator)] = entry;
        }
        var document = new JsonObject
        {
            ["distribution"] = ImplicitVarianceVocabulary.Distributions.Name(settings.Distribution),
            ["cost"] = ImplicitVarianceVocabulary.Costs.Name(settings.Cost),
            ["k"] = settings.K,
        };
        foreach (var parameter in parameters) document[ImplicitVarianceVocabulary.Parameters.Name(parameter)] = Value(settings, parameter);
        document["samples"] = settings.Samples;
        document["seed"] = settings.Seed;
        document["exact"] = PerParameter(parameters, parameter => result.Exact.Gradients[parameter]);
        document["baselines"] = PerParameter(parameters, parameter => result.Exact.Baselines[parameter]);
        document["estimators"] = estimators;
        document["samples_per_second"] = Finite(result.SamplesPerSecond);
        return document.ToJsonString();
    }

    /// <summary>
    /// Per estimator and parameter: the mean against the exact gradient in standard errors, the variance against the
    /// exact one, and the variance as a multiple of the implicit estimator's on the same draws: how much the score function costs.
    /// </summary>
    public static string Table(ImplicitVarianceResult result)
    {
        var s = result.Settings;
        var parameters = s.Problem.Parameters;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"gradient of E[f(z)], f(z) = {ImplicitVarianceVocabulary.Formula(s.Cost)}{(s.Cost is ImplicitCost.Cos or ImplicitCost.Exp ? $" with k = {Text(s.K)}" : "")}, " +
            $"z ~ {Describe(s)}; N = {s.Samples} draws shared by the estimators, seed {s.Seed}");
        text.AppendLine("exact (quadrature): " + string.Join(", ", parameters.Select(p => FormattableString.Invariant($"d/d{ImplicitVarianceVocabulary.Parameters.Name(p)} = {result.Exact.Gradients[p]:G8}"))) +
            "; optimal baselines " + string.Join(", ", parameters.Select(p => FormattableString.Invariant($"b_{ImplicitVarianceVocabulary.Parameters.Name(p)} = {result.Exact.Baselines[p]:G6}"))));
        text.AppendLine($"{"estimator",-16}{"param",-7}{"mean",14}{"(mean-exact)/SE",17}{"variance",14}{"exact variance",16}{"ratio",8}{"x implicit",13}");
        foreach (var e in result.Estimators)
            foreach (var parameter in parameters)
            {
                var statistics = e.For(parameter);
                var exact = result.Exact.For(e.Estimator, parameter);
                double gradient = result.Exact.Gradients[parameter];
                double standardError = Math.Sqrt(statistics.Variance / statistics.Count);
                double implicitVariance = result.Estimators.First(i => i.Estimator == GradientEstimator.Implicit).For(parameter).Variance;
                // An estimator with no variance (the implicit d/dbeta of Gamma's log z is -1/beta) has only rounding left: no z-score, no ratio.
                bool exactEstimator = exact is not null ? exact.Variance < 1e-20 * (1 + gradient * gradient) : statistics.Variance < 1e-20 * (1 + gradient * gradient);
                string zScore = exactEstimator ? "exact" : ((statistics.Mean - gradient) / standardError).ToString("F2", CultureInfo.InvariantCulture);
                string exactVariance = exact is null ? "-" : exact.Variance.ToString("G6", CultureInfo.InvariantCulture);
                string ratio = exactEstimator || exact is null ? "-" : (statistics.Variance / exact.Variance).ToString("F4", CultureInfo.InvariantCulture);
                string relative = implicitVariance < 1e-20 * (1 + gradient * gradient) ? (exactEstimator ? "1" : "inf") : (statistics.Variance / implicitVariance).ToString("G4", CultureInfo.InvariantCulture);
                text.AppendLine(CultureInfo.InvariantCulture, $"{Vocabulary.Estimators.Name(e.Estimator),-16}{ImplicitVarianceVocabulary.Parameters.Name(parameter),-7}{statistics.Mean,14:G7}" +
                    $"{zScore,17}{statistics.Variance,14:G6}{exactVariance,16}{ratio,8}{relative,13}");
            }
        text.Append(CultureInfo.InvariantCulture, $"{result.SamplesPerSecond / 1e6:F2} million draws/s with every estimator's terms (x implicit: variance over the implicit estimator's, both sampled{(s.Distribution == ImplicitDistribution.Beta ? "; Beta's implicit estimator goes through two Gammas, whose exact variance is not computed" : "")})");
        return text.ToString();
    }

    /// <summary>"Gamma(alpha 0.5, rate beta 1)", "Beta(alpha 2, beta 3)", "von Mises(0, kappa 4)".</summary>
    public static string Describe(ImplicitVarianceSettings s) => s.Distribution switch
    {
        ImplicitDistribution.Gamma => $"Gamma(alpha {Text(s.Alpha)}, rate beta {Text(s.Beta)})",
        ImplicitDistribution.Beta => $"Beta(alpha {Text(s.Alpha)}, beta {Text(s.Beta)})",
        _ => $"von Mises(0, kappa {Text(s.Kappa)})",
    };

    static float Value(ImplicitVarianceSettings settings, ImplicitParameter parameter) => parameter switch
    {
        ImplicitParameter.Alpha => settings.Alpha,
        ImplicitParameter.Beta => settings.Beta,
        _ => settings.Kappa,
    };

    static JsonObject PerParameter(IReadOnlyList<ImplicitParameter> parameters, Func<ImplicitParameter, double> value)
    {
        var node = new JsonObject();
        foreach (var parameter in parameters) node[ImplicitVarianceVocabulary.Parameters.Name(parameter)] = Finite(value(parameter));
        return node;
    }

    /// <summary>JSON has no NaN or infinity; a statistic that is not finite (fewer than 2 samples) is written as null.</summary>
    static JsonNode? Finite(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;

    static string Text(float value) => value.ToString(CultureInfo.InvariantCulture);
}
