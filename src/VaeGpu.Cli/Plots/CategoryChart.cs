using ScottPlot;
using ScottPlot.TickGenerators;
using VaeGpu.Host.SafeTensors;
using VaeGpu.Host.Files;

namespace VaeGpu.Cli.Plots;

/// <summary>
/// A PNG of values per named category (one column of points per category, one colour per series, optional error bars)
/// with named horizontal reference levels: for comparing a few quantities across a handful of cases.
/// </summary>
public static class CategoryChart
{
    public const int Width = 900, Height = 500;

    /// <summary>Series sit side by side within a category, this far apart, so that equal values stay visible.</summary>
    const double SeriesSpacing = 0.12;

    const float MarkerSize = 9;

    public static void WritePng(string path, string title, string yLabel, IReadOnlyList<string> categories,
        IReadOnlyList<(string Name, double[] Y, double[]? Error)> series, IReadOnlyList<(string Name, double Y)> levels)
    {
        foreach (var (name, y, error) in series)
            if (y.Length != categories.Count || (error is not null && error.Length != y.Length))
                throw new ArgumentException($"Series '{name}' has {y.Length} values (and {error?.Length} errors) for {categories.Count} categories.", nameof(series));

        var plot = new Plot();
        plot.Font.Set(ChartFont.Name);
        plot.Title(title);
        plot.YLabel(yLabel);
        var palette = new ScottPlot.Palettes.Category10();
        for (int s = 0; s < series.Count; s++)
        {
            var (name, y, error) = series[s];
            double shift = (s - (series.Count - 1) / 2.0) * SeriesSpacing;
            double[] x = [.. Enumerable.Range(0, y.Length).Select(c => c + shift)];
            Color color = palette.GetColor(s);
            var points = plot.Add.ScatterPoints(x, y, color);
            points.MarkerSize = MarkerSize;
            points.LegendText = name;
            if (error is not null)
                plot.Add.ErrorBar(x, y, error).Color = color;
        }
        for (int l = 0; l < levels.Count; l++)
        {
            var line = plot.Add.HorizontalLine(levels[l].Y, width: 2, color: palette.GetColor(series.Count + l), pattern: LinePattern.Dashed);
            line.LegendText = levels[l].Name;
        }
        plot.Axes.Bottom.TickGenerator = new NumericManual([.. Enumerable.Range(0, categories.Count).Select(c => (double)c)], [.. categories]);
        plot.Axes.SetLimitsX(-0.5, categories.Count - 0.5);
        plot.ShowLegend(Edge.Right);

        byte[] png = plot.GetImageBytes(Width, Height, ImageFormat.Png);
        AtomicFile.Write(path, stream => stream.Write(png));
    }
}
