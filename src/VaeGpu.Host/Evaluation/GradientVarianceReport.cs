using System.Globalization;
using System.Text;
using System.Text.Json;
using VaeGpu.Host.SafeTensors;
using VaeGpu.Host.Plots;
using VaeGpu.Host.Training;
using VaeGpu.Host.Cli;

namespace VaeGpu.Host.Evaluation;

/// <summary>The encoder-gradient variance table as text, CSV, JSON and a bar chart (mean variance per tensor and estimator).</summary>
public static class GradientVarianceReport
{
    public const string CsvHeader = "estimator,tensor,elements,mean_variance,mean_snr";

    public static string Table(IReadOnlyList<TensorGradientStatistics> rows)
    {
        var text = new StringBuilder($"{"estimator",-15} {"tensor",-22} {"elements",9} {"mean variance",14} {"mean SNR",9}\n");
        foreach (var row in rows)
            text.AppendLine(CultureInfo.InvariantCulture, $"{EstimatorNames.Name(row.Estimator),-15} {row.Tensor,-22} {row.Elements,9} {row.MeanVariance,14:E3} {row.MeanSignalToNoise,9:F3}");
        return text.ToString();
    }

    public static string Json(IReadOnlyList<TensorGradientStatistics> rows) => JsonSerializer.Serialize(
        rows.GroupBy(row => EstimatorNames.Name(row.Estimator)).ToDictionary(
            group => group.Key,
            group => group.ToDictionary(row => row.Tensor, row => new { elements = row.Elements, mean_variance = row.MeanVariance, mean_snr = row.MeanSignalToNoise })));

    /// <summary>Writes FOLDER/NAME.csv and FOLDER/NAME.png.</summary>
    public static void Write(string folder, string name, IReadOnlyList<TensorGradientStatistics> rows)
    {
        AtomicFile.Write(Path.Combine(folder, name + ".csv"), stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            writer.WriteLine(CsvHeader);
            foreach (var row in rows)
                writer.WriteLine(string.Join(',', EstimatorNames.Name(row.Estimator), row.Tensor, row.Elements.ToString(CultureInfo.InvariantCulture),
                    row.MeanVariance.ToString("R", CultureInfo.InvariantCulture), row.MeanSignalToNoise.ToString("R", CultureInfo.InvariantCulture)));
        });
        var tensors = rows.Select(row => row.Tensor).Distinct().ToList();
        var estimators = rows.Select(row => row.Estimator).Distinct().ToList();
        double[][] values = estimators.Select(estimator => tensors.Select(tensor =>
            rows.First(row => row.Estimator == estimator && row.Tensor == tensor).MeanVariance).ToArray()).ToArray();
        GroupedBarChart.WritePng(Path.Combine(folder, name + ".png"), "encoder gradient: mean variance per element", "variance",
            tensors, estimators.Select(EstimatorNames.Name).ToList(), values);
    }
}
