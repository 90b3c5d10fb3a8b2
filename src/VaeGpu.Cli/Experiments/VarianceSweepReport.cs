using VaeGpu.Host.Names;
using VaeGpu.Host.Experiments.GradientEstimators;
using System.Globalization;
using System.Text;
using VaeGpu.Host.SafeTensors;
using VaeGpu.Cli.Plots;
using VaeGpu.Kernels;
using VaeGpu.Host.Files;

namespace VaeGpu.Cli.Experiments;

/// <summary>The sweep's files: sweep.csv with every point, and variance-COST-PARAMETER.png per cost and parameter.</summary>
public static class VarianceSweepReport
{
    public const string CsvFile = "sweep.csv";

    public static string ChartFile(GradientEstimatorCost cost, GradientParameter parameter) => $"variance-{Vocabulary.Costs.Name(cost)}-{VarianceVocabulary.Parameters.Name(parameter)}.png";

    public static void WriteCsv(string path, IReadOnlyList<VarianceSweepPoint> points)
    {
        var csv = new StringBuilder("cost,k,estimator,parameter,mean,exact_gradient,variance,exact_variance\n");
        foreach (var p in points)
            csv.AppendLine(string.Join(',', Vocabulary.Costs.Name(p.Cost), p.K.ToString(CultureInfo.InvariantCulture), Vocabulary.Estimators.Name(p.Estimator),
                VarianceVocabulary.Parameters.Name(p.Parameter), Text(p.Mean), Text(p.Exact), Text(p.Variance), Text(p.ExactVariance)));
        byte[] bytes = Encoding.UTF8.GetBytes(csv.ToString());
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    /// <summary>
    /// Variance against k on a log y axis: each estimator's sampled variance (markers) and its exact variance (line).
    /// A variance of 0 (none here, but possible for other costs) would leave a gap rather than break the log axis.
    /// </summary>
    public static void WriteCharts(string folder, float mu, float sigma, long samples, IReadOnlyList<VarianceSweepPoint> points)
    {
        foreach (var cost in Enum.GetValues<GradientEstimatorCost>())
            foreach (var parameter in Enum.GetValues<GradientParameter>())
            {
                var series = new List<(string, double[], double[])>();
                foreach (var estimator in GaussianGradientExperiment.Estimators)
                {
                    var curve = points.Where(p => p.Cost == cost && p.Parameter == parameter && p.Estimator == estimator).OrderBy(p => p.K).ToList();
                    double[] k = [.. curve.Select(p => (double)p.K)];
                    series.Add(($"{Vocabulary.Estimators.Name(estimator)} (N = {samples:0.#e0})", k, [.. curve.Select(p => p.Variance)]));
                    series.Add(($"{Vocabulary.Estimators.Name(estimator)} exact", k, [.. curve.Select(p => p.ExactVariance)]));
                }
                string title = FormattableString.Invariant($"d/d{VarianceVocabulary.Parameters.Name(parameter)} E[{VarianceVocabulary.Formula(cost)}], x ~ N({mu}, {sigma}^2)");
                LineChart.WritePng(Path.Combine(folder, ChartFile(cost, parameter)), title, "k", "variance of the single-sample estimator",
                    series, logX: VarianceSweep.LogK(cost), logY: true);
            }
    }

    static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
