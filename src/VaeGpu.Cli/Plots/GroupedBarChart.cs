using ScottPlot;
using VaeGpu.Host.Files;

namespace VaeGpu.Cli.Plots;

/// <summary>
/// Bars grouped by category (e.g. one group per encoder tensor, one bar per estimator), on a log value axis because the
/// values compared often differ by orders of magnitude. Written atomically like every PNG here.
/// </summary>
public static class GroupedBarChart
{
    public const int Width = 900, Height = 500;

    /// <param name="values">values[series][category]; must be positive (log axis).</param>
    public static void WritePng(string path, string title, string valueLabel, IReadOnlyList<string> categories,
        IReadOnlyList<string> seriesNames, double[][] values)
    {
        var plot = new Plot();
        plot.Title(title);
        plot.Font.Set(ChartFont.Name);
        var palette = new ScottPlot.Palettes.Category10();
        double barWidth = 0.8 / seriesNames.Count;
        var exponents = new List<double>();
        for (int series = 0; series < seriesNames.Count; series++)
        {
            var bars = new List<Bar>();
            for (int category = 0; category < categories.Count; category++)
            {
                double value = values[series][category];
                if (!(value > 0) || !double.IsFinite(value)) continue;
                double exponent = Math.Log10(value);
                exponents.Add(exponent);
                bars.Add(new Bar
                {
                    Position = category - 0.4 + barWidth * (series + 0.5),
                    // Bars grow from a floor below the smallest value, since log10 of the values can be negative.
                    ValueBase = double.NaN,
                    Value = exponent,
                    FillColor = palette.GetColor(series),
                    Size = barWidth * 0.95,
                });
            }
            var barPlot = plot.Add.Bars(bars);
            barPlot.LegendText = seriesNames[series];
        }
        if (exponents.Count > 0)
        {
            double floor = Math.Floor(exponents.Min()) - 0.5;
            foreach (var barPlot in plot.GetPlottables<ScottPlot.Plottables.BarPlot>())
                foreach (var bar in barPlot.Bars) bar.ValueBase = floor;
            plot.Axes.Left.TickGenerator = LogAxis.Ticks(floor, exponents.Max());
            plot.Axes.SetLimitsY(floor, exponents.Max() + 0.3);
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, categories.Count).Select(i => (double)i).ToArray(), categories.ToArray());
        plot.YLabel(valueLabel);
        plot.ShowLegend(Edge.Right);
        byte[] png = plot.GetImageBytes(Width, Height, ImageFormat.Png);
        AtomicFile.Write(path, stream => stream.Write(png));
    }
}
