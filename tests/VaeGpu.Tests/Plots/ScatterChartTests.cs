using ScottPlot.Palettes;
using SkiaSharp;
using VaeGpu.Cli.Plots;
using VaeGpu.Tests.Data;

namespace VaeGpu.Tests.Plots;

public class ScatterChartTests
{
    const int Points = 1000, Classes = 10;

    /// <summary>Ten clusters on a circle, one per class label.</summary>
    static (double[] X, double[] Y, int[] Labels) LatentMeans()
    {
        var random = new Random(7);
        int[] labels = [.. Enumerable.Range(0, Points).Select(p => p % Classes)];
        double[] x = [.. labels.Select(c => 2 * Math.Cos(c * Math.PI / 5) + 0.3 * random.NextDouble())];
        double[] y = [.. labels.Select(c => 2 * Math.Sin(c * Math.PI / 5) + 0.3 * random.NextDouble())];
        return (x, y, labels);
    }

    /// <summary>The legend shows each class in full colour: every one of the ten palette colours is in the picture.</summary>
    [Test]
    public void LabelledPointsGetOneColourPerClassAndALegend()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("latent.png");
        var (x, y, labels) = LatentMeans();

        ScatterChart.WritePng(path, "Latent means", x, y, labels);

        using var png = DecodedPng.Read(path);
        Assert.That((png.Width, png.Height), Is.EqualTo((ScatterChart.Size + ScatterChart.LegendWidth, ScatterChart.Size)));
        var colours = png.Pixels.ToHashSet();
        var palette = new Category10();
        for (int c = 0; c < Classes; c++)
        {
            var expected = palette.GetColor(c);
            Assert.That(colours, Does.Contain(new SKColor(expected.R, expected.G, expected.B)), $"class {c}");
        }
        Assert.That(DecodedPng.FilesIn(folder.Path), Is.EqualTo(new[] { "latent.png" }), "no temporary file left");
    }

    [Test]
    public void UnlabelledPointsMakeASquareChart()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("latent.png");
        var (x, y, _) = LatentMeans();
        x[0] = double.NaN;
        y[1] = double.PositiveInfinity;

        ScatterChart.WritePng(path, "Latent means", x, y, labels: null);

        using var png = DecodedPng.Read(path);
        Assert.That((png.Width, png.Height), Is.EqualTo((ScatterChart.Size, ScatterChart.Size)));
        Assert.That(DecodedPng.FilesIn(folder.Path), Is.EqualTo(new[] { "latent.png" }), "no temporary file left");
    }

    /// <summary>No points means no classes and no legend; ScottPlot 5.1.59 draws a blank picture if asked for an empty one.</summary>
    [Test]
    public void NoPointsGiveAnEmptyChartWithAxes()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("latent.png");

        ScatterChart.WritePng(path, "Latent means", [], [], labels: []);

        using var png = DecodedPng.Read(path);
        Assert.That((png.Width, png.Height), Is.EqualTo((ScatterChart.Size, ScatterChart.Size)));
        Assert.That(png.Pixels.Distinct().Count(), Is.GreaterThan(2), "more than the background was drawn");
    }

    [Test]
    public void LabelsNotMatchingThePointsAreRejectedAndTheExistingFileKept()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("latent.png");
        File.WriteAllText(path, "previous");
        var (x, y, labels) = LatentMeans();

        Assert.Throws<ArgumentException>(() => ScatterChart.WritePng(path, "Latent means", x, y, labels[1..]));

        Assert.That(File.ReadAllText(path), Is.EqualTo("previous"));
        Assert.That(DecodedPng.FilesIn(folder.Path), Is.EqualTo(new[] { "latent.png" }));
    }
}
