using ScottPlot;
using SkiaSharp;
using VaeGpu.Host.SafeTensors;
using VaeGpu.Host.Files;

namespace VaeGpu.Cli.Plots;

/// <summary>One panel of a PanelChart: a line chart of named series.</summary>
public sealed record ChartPanel(string Title, string XLabel, string YLabel, IReadOnlyList<(string Name, double[] X, double[] Y)> Series);

/// <summary>
/// A PNG of line-chart panels side by side, each LineChart.Width x LineChart.Height, for figures whose point is a
/// comparison between panels (the forward- and reverse-KL fits of one target). Each panel is drawn by ScottPlot and
/// the images are placed next to each other with SkiaSharp, which keeps every panel laid out as a single chart is.
/// </summary>
public static class PanelChart
{
    public static void WritePng(string path, IReadOnlyList<ChartPanel> panels)
    {
        if (panels.Count == 0) throw new ArgumentException("no panels to draw.", nameof(panels));
        using var surface = SKSurface.Create(new SKImageInfo(LineChart.Width * panels.Count, LineChart.Height));
        surface.Canvas.Clear(SKColors.White);
        for (int i = 0; i < panels.Count; i++)
        {
            using var panel = SKImage.FromEncodedData(Draw(panels[i]));
            surface.Canvas.DrawImage(panel, i * LineChart.Width, 0);
        }
        using var figure = surface.Snapshot();
        using var png = figure.Encode(SKEncodedImageFormat.Png, 100);
        AtomicFile.Write(path, stream => png.SaveTo(stream));
    }

    static byte[] Draw(ChartPanel panel)
    {
        var plot = new Plot();
        plot.Font.Set(ChartFont.Name);
        plot.Title(panel.Title);
        plot.XLabel(panel.XLabel);
        plot.YLabel(panel.YLabel);
        for (int i = 0; i < panel.Series.Count; i++)
        {
            var (name, x, y) = panel.Series[i];
            if (x.Length != y.Length)
                throw new ArgumentException($"Series '{name}' has {x.Length} x values and {y.Length} y values.", nameof(panel));
            var line = plot.Add.Scatter(x, y);
            line.LegendText = name;
            line.LineWidth = 2;
            line.MarkerSize = 0;
            // Series that agree lie on top of each other: solid, dashed and dotted in turn let the ones below show through.
            line.LinePattern = (i % 3) switch { 0 => LinePattern.Solid, 1 => LinePattern.Dashed, _ => LinePattern.Dotted };
        }
        // Never an empty legend: ScottPlot 5.1.59 lays one out on an edge as NaN pixels wide and then draws nothing.
        if (panel.Series.Any(s => s.Name.Length > 0))
            plot.ShowLegend(Edge.Bottom);
        return plot.GetImageBytes(LineChart.Width, LineChart.Height, ImageFormat.Png);
    }
}
