using System.Globalization;
using ScottPlot;
using VaeGpu.Host.SafeTensors;
using VaeGpu.Host.Files;

namespace VaeGpu.Cli.Plots;

/// <summary>
/// A PNG scatter plot of 2-D points, such as latent means, coloured by class label with a legend, or in one colour
/// without labels.
/// </summary>
public static class ScatterChart
{
    /// <summary>A square chart, so that both latent axes share a scale by eye, widened for a legend when there is one.</summary>
    public const int Size = 800, LegendWidth = 60;

    /// <summary>Thousands of points overlap: small, slightly transparent markers keep dense regions readable.</summary>
    const float MarkerSize = 3;
    const double MarkerOpacity = 0.6;

    /// <summary>Legend swatches are larger than the markers, and opaque, or their colours could not be told apart.</summary>
    const float LegendMarkerSize = 10;

    /// <summary>Writes the chart; NaN or infinite points are left out, since ScottPlot would stretch the axes to them.</summary>
    public static void WritePng(string path, string title, double[] x, double[] y, int[]? labels)
    {
        if (x.Length != y.Length)
            throw new ArgumentException($"{x.Length} x values and {y.Length} y values.", nameof(y));
        if (labels is not null && labels.Length != x.Length)
            throw new ArgumentException($"{labels.Length} labels for {x.Length} points.", nameof(labels));

        int[] drawable = [.. Enumerable.Range(0, x.Length).Where(p => double.IsFinite(x[p]) && double.IsFinite(y[p]))];
        var plot = new Plot();
        plot.Font.Set(ChartFont.Name);
        plot.Title(title);
        if (labels is null)
            AddPoints(plot, x, y, drawable, plot.Add.Palette.GetColor(0));
        else
            AddClasses(plot, x, y, drawable, labels);
        // Never an empty legend: ScottPlot 5.1.59 lays one out on an edge as NaN pixels wide and then draws nothing.
        bool withLegend = labels is { Length: > 0 };
        if (withLegend)
            plot.ShowLegend(Edge.Right);

        byte[] png = plot.GetImageBytes(withLegend ? Size + LegendWidth : Size, Size, ImageFormat.Png);
        AtomicFile.Write(path, stream => stream.Write(png));
    }

    /// <summary>The points of each class in its own colour, with a legend entry per class in label order.</summary>
    static void AddClasses(Plot plot, double[] x, double[] y, int[] drawable, int[] labels)
    {
        var palette = new ScottPlot.Palettes.Category10();
        int[] classes = [.. labels.Distinct().Order()];
        for (int i = 0; i < classes.Length; i++)
        {
            Color color = palette.GetColor(i);
            AddPoints(plot, x, y, [.. drawable.Where(p => labels[p] == classes[i])], color);
            plot.Legend.ManualItems.Add(new LegendItem
            {
                LabelText = classes[i].ToString(CultureInfo.InvariantCulture),
                MarkerShape = MarkerShape.FilledCircle,
                MarkerSize = LegendMarkerSize,
                MarkerFillColor = color,
                MarkerLineColor = color,
            });
        }
    }

    static void AddPoints(Plot plot, double[] x, double[] y, int[] indices, Color color)
    {
        var points = plot.Add.ScatterPoints(
            indices.Select(p => x[p]).ToArray(), indices.Select(p => y[p]).ToArray(), color.WithOpacity(MarkerOpacity));
        points.MarkerSize = MarkerSize;
    }
}
