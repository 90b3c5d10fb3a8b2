using ScottPlot;
using VaeGpu.Host.SafeTensors;
using VaeGpu.Host.Files;

namespace VaeGpu.Cli.Plots;

/// <summary>
/// A PNG line chart of one or more named series (train and test loss per epoch, later variances), optionally with
/// logarithmic axes.
/// </summary>
public static class LineChart
{
    public const int Width = 800, Height = 500;

    /// <summary>Series longer than this are drawn as lines only: markers would merge into a thick band.</summary>
    const int MaxPointsWithMarkers = 60;

    /// <summary>
    /// Writes the chart, with a legend naming each series that has a name. A point that cannot be drawn (NaN,
    /// infinite, or not positive on a logarithmic axis) leaves a gap in its line.
    /// </summary>
    public static void WritePng(
        string path, string title, string xLabel, string yLabel,
        IReadOnlyList<(string Name, double[] X, double[] Y)> series, bool logX = false, bool logY = false)
    {
        foreach (var (name, x, y) in series)
            if (x.Length != y.Length)
                throw new ArgumentException($"Series '{name}' has {x.Length} x values and {y.Length} y values.", nameof(series));

        var plot = new Plot();
        plot.Font.Set(ChartFont.Name);
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        List<double> drawnXs = [], drawnYs = [];
        foreach (var (name, x, y) in series)
        {
            double[] drawnX = Drawn(x, logX), drawnY = Drawn(y, logY);
            var line = plot.Add.Scatter(drawnX, drawnY);
            line.LegendText = name;
            line.LineWidth = 2;
            line.MarkerSize = x.Length > MaxPointsWithMarkers ? 0 : 5;
            drawnXs.AddRange(drawnX.Where(double.IsFinite));
            drawnYs.AddRange(drawnY.Where(double.IsFinite));
        }
        if (logX && drawnXs.Count > 0)
            UseLogTicks(plot.Axes.Bottom, plot.Grid.XAxisStyle, drawnXs);
        if (logY && drawnYs.Count > 0)
            UseLogTicks(plot.Axes.Left, plot.Grid.YAxisStyle, drawnYs);
        // Beside the data area rather than on it, where it could hide a flat series. Only with a named series: ScottPlot
        // 5.1.59 lays out an empty legend on an edge as NaN pixels wide and then draws nothing at all.
        if (series.Any(s => s.Name.Length > 0))
            plot.ShowLegend(Edge.Right);

        byte[] png = plot.GetImageBytes(Width, Height, ImageFormat.Png);
        AtomicFile.Write(path, stream => stream.Write(png));
    }

    /// <summary>
    /// The values as plotted: log10 on a logarithmic axis, and NaN for any that cannot be drawn, which ScottPlot leaves
    /// as a gap (an infinity would instead stretch the axis without end).
    /// </summary>
    static double[] Drawn(double[] values, bool log) =>
        [.. values.Select(v => log ? Math.Log10(v) : v).Select(v => double.IsFinite(v) ? v : double.NaN)];

    /// <summary>Log ticks for the drawn log10 values, with faint minor grid lines so that the log spacing shows.</summary>
    static void UseLogTicks(IAxis axis, GridStyle grid, List<double> exponents)
    {
        axis.TickGenerator = LogAxis.Ticks(exponents.Min(), exponents.Max());
        grid.MinorLineStyle.Width = 1;
    }
}
