using VaeGpu.Host.Names;
using VaeGpu.Host.Evaluation;
using System.Globalization;
using System.Text;
using System.Text.Json;
using VaeGpu.Host.Model;
using VaeGpu.Cli.Plots;
using VaeGpu.Host.Training;
using VaeGpu.Host.Files;

namespace VaeGpu.Cli.Commands;

/// <summary>
/// The encoder-gradient variance table as text, CSV, JSON and a bar chart (mean variance per tensor and estimator),
/// and where it covers several K of the importance-weighted bound, the mean SNR against K.
/// </summary>
public static class GradientVarianceReport
{
    public const string CsvHeader = "estimator,tensor,elements,mean_variance,mean_snr,objective,k,sampler";

    /// <summary>The estimator's name, prefixed with the bound and K for multi-draw rows and with coupled draws' sampler: "pathwise", "iwae5_dreg", "iwae5_rqmc_pathwise", "piwae16_pathwise".</summary>
    public static string Label(TensorGradientStatistics row) =>
        row.Objective.ImportanceWeighted ? $"{row.Objective.Name}{row.Objective.Samples}{(row.Sampler == Kernels.Sampler.Mc ? "" : "_" + Vocabulary.Samplers.Name(row.Sampler))}_{Vocabulary.Estimators.Name(row.Estimator)}" : Vocabulary.Estimators.Name(row.Estimator);

    public static string Table(IReadOnlyList<TensorGradientStatistics> rows)
    {
        var text = new StringBuilder($"{"objective",-12} {"sampler",-10} {"estimator",-15} {"tensor",-22} {"elements",9} {"mean variance",14} {"mean SNR",9}\n");
        foreach (var row in rows)
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{row.Objective.ToString().Replace(" ", ""),-12} {Vocabulary.Samplers.Name(row.Sampler),-10} {Vocabulary.Estimators.Name(row.Estimator),-15} {row.Tensor,-22} {row.Elements,9} {row.MeanVariance,14:E3} {row.MeanSignalToNoise,9:F3}");
        return text.ToString();
    }

    public static string Json(IReadOnlyList<TensorGradientStatistics> rows) => JsonSerializer.Serialize(
        rows.GroupBy(Label).ToDictionary(
            group => group.Key,
            group => group.ToDictionary(row => row.Tensor, row => new { elements = row.Elements, mean_variance = row.MeanVariance, mean_snr = row.MeanSignalToNoise })));

    /// <summary>Writes FOLDER/NAME.csv and FOLDER/NAME.png, and FOLDER/NAME-snr.png where the rows cover more than one K.</summary>
    public static void Write(string folder, string name, IReadOnlyList<TensorGradientStatistics> rows)
    {
        AtomicFile.Write(Path.Combine(folder, name + ".csv"), stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            writer.WriteLine(CsvHeader);
            foreach (var row in rows)
                writer.WriteLine(string.Join(',', Vocabulary.Estimators.Name(row.Estimator), row.Tensor, row.Elements.ToString(CultureInfo.InvariantCulture),
                    row.MeanVariance.ToString("R", CultureInfo.InvariantCulture), row.MeanSignalToNoise.ToString("R", CultureInfo.InvariantCulture),
                    row.Objective.Name, row.Objective.Samples.ToString(CultureInfo.InvariantCulture), Vocabulary.Samplers.Name(row.Sampler)));
        });
        var tensors = rows.Select(row => row.Tensor).Distinct().ToList();
        var labels = rows.Select(Label).Distinct().ToList();
        double[][] values = labels.Select(label => tensors.Select(tensor =>
            rows.First(row => Label(row) == label && row.Tensor == tensor).MeanVariance).ToArray()).ToArray();
        GroupedBarChart.WritePng(Path.Combine(folder, name + ".png"), "encoder gradient: mean variance per element", "variance",
            tensors, labels, values);
        if (rows.Where(row => row.Objective.ImportanceWeighted).Select(row => row.Objective.Samples).Distinct().Count() > 1)
            WriteSignalToNoiseByK(Path.Combine(folder, name + "-snr.png"), rows);
    }

    /// <summary>Per bound and estimator, the mean SNR over every encoder element (tensors weighted by their elements) against K, both axes logarithmic.</summary>
    static void WriteSignalToNoiseByK(string path, IReadOnlyList<TensorGradientStatistics> rows)
    {
        var series = rows.Where(row => row.Objective.ImportanceWeighted).GroupBy(row => (row.Objective.Name, row.Estimator)).Select(byEstimator =>
        {
            var points = byEstimator.GroupBy(row => row.Objective.Samples).OrderBy(group => group.Key)
                .Select(group => (K: (double)group.Key, Snr: group.Sum(row => row.MeanSignalToNoise * row.Elements) / group.Sum(row => row.Elements))).ToArray();
            return ($"{byEstimator.Key.Name} {Vocabulary.Estimators.Name(byEstimator.Key.Estimator)}", points.Select(p => p.K).ToArray(), points.Select(p => p.Snr).ToArray());
        }).ToList();
        LineChart.WritePng(path, "encoder gradient: signal-to-noise ratio against K", "K (draws per image)", "mean SNR |mean| / std", series, logX: true, logY: true);
    }
}
