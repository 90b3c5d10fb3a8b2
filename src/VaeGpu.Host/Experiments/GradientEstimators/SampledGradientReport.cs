using VaeGpu.Host.Names;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using VaeGpu.Kernels;

namespace VaeGpu.Host.Experiments.GradientEstimators;

/// <summary>A `vaegpu variance gaussian --sampler S` result as a table or one JSON object: each estimator under the sampler beside plain Monte Carlo's exact variance.</summary>
public static class SampledGradientReport
{
    public static string Table(GaussianVarianceSettings settings, ExactGradients exact, SampledGradientExperiment experiment, IReadOnlyList<SampledEstimatorStatistics> rows)
    {
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        string unit = experiment.Sampler == Sampler.Antithetic ? "pairs" : "points";
        text.AppendLine(string.Create(inv, $"gradient of E[f(x)], f(x) = {VarianceVocabulary.Formula(settings.Cost)} with k = {settings.K}, x ~ N({settings.Mu}, {settings.Sigma}^2); " +
            $"sampler {Vocabulary.Samplers.Name(experiment.Sampler)}: {experiment.Replicates} replicates of {experiment.PointsPerReplicate} {unit}, {experiment.Draws} samples per estimator, seed {settings.Seed}"));
        text.AppendLine(string.Create(inv, $"exact (quadrature): d/dmu = {exact.Mu:G8}, d/dsigma = {exact.Sigma:G8}"));
        text.AppendLine($"{"estimator",-15} {"param",-5} {"mean",15} {"(mean-exact)/SE",16} {"var per draw",13} {"MC variance",13} {"reduction",10}");
        foreach (var row in rows)
            foreach (var parameter in Enum.GetValues<GradientParameter>())
            {
                var s = row.For(parameter);
                double mc = exact.For(row.Estimator, parameter).Variance;
                string z = s.StandardError > 0 ? ((s.Mean - exact.Gradient(parameter)) / s.StandardError).ToString("F2", inv) : "exact";
                text.AppendLine(string.Create(inv, $"{Vocabulary.Estimators.Name(row.Estimator),-15} {VarianceVocabulary.Parameters.Name(parameter),-5} {s.Mean,15:G7} {z,16} {s.VariancePerDraw,13:G6} {mc,13:G6} {Reduction(mc, s.VariancePerDraw),10}"));
            }
        text.Append("(var per draw: N times the variance of the estimate, N the samples drawn: normals, or measure_valued's points of four uniforms; reduction: plain Monte Carlo's exact variance per draw over it)");
        return text.ToString();
    }

    public static string Json(GaussianVarianceSettings settings, ExactGradients exact, SampledGradientExperiment experiment, IReadOnlyList<SampledEstimatorStatistics> rows)
    {
        var estimators = new JsonObject();
        foreach (var row in rows)
        {
            var entry = new JsonObject();
            foreach (var parameter in Enum.GetValues<GradientParameter>())
            {
                var s = row.For(parameter);
                double mc = exact.For(row.Estimator, parameter).Variance;
                entry[VarianceVocabulary.Parameters.Name(parameter)] = new JsonObject
                {
                    ["mean"] = s.Mean, ["standard_error"] = s.StandardError, ["variance_per_draw"] = s.VariancePerDraw,
                    ["mc_exact_variance"] = mc, ["reduction"] = s.VariancePerDraw > 0 ? mc / s.VariancePerDraw : null,
                };
            }
            estimators[Vocabulary.Estimators.Name(row.Estimator)] = entry;
        }
        return new JsonObject
        {
            ["cost"] = Vocabulary.Costs.Name(settings.Cost), ["k"] = settings.K, ["mu"] = settings.Mu, ["sigma"] = settings.Sigma,
            ["sampler"] = Vocabulary.Samplers.Name(experiment.Sampler), ["replicates"] = experiment.Replicates, ["draws"] = experiment.Draws, ["seed"] = settings.Seed,
            ["exact"] = new JsonObject { ["mu"] = exact.Mu, ["sigma"] = exact.Sigma },
            ["estimators"] = estimators,
        }.ToJsonString();
    }

    static string Reduction(double mc, double sampled) => sampled > 0 ? (mc / sampled).ToString("G4", CultureInfo.InvariantCulture) + "x" : "exact";
}
