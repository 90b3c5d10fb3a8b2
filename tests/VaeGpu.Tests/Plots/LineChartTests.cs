using SkiaSharp;
using VaeGpu.Cli.Plots;
using VaeGpu.Tests.Data;

namespace VaeGpu.Tests.Plots;

public class LineChartTests
{
    static readonly double[] Epochs = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

    /// <summary>Train and test loss; on log axes the test series' NaN and zero are left out rather than failing.</summary>
    static (string Name, double[] X, double[] Y)[] LossSeries() =>
    [
        ("train", Epochs, [.. Epochs.Select(e => 250 + 200 / e)]),
        ("test", Epochs, [.. Epochs.Select(e => e == 3 ? double.NaN : e == 4 ? 0 : 255 + 190 / e)]),
    ];

    [TestCase(false, false)]
    [TestCase(false, true)]
    [TestCase(true, true)]
    public void WritesAPngOfTheChartSize(bool logX, bool logY)
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("loss.png");

        LineChart.WritePng(path, "Loss", "epoch", "negative ELBO", LossSeries(), logX, logY);

        using var png = DecodedPng.Read(path);
        Assert.That((png.Width, png.Height), Is.EqualTo((LineChart.Width, LineChart.Height)));
        Assert.That(DecodedPng.FilesIn(folder.Path), Is.EqualTo(new[] { "loss.png" }), "no temporary file left");
    }

    /// <summary>
    /// SkiaSharp's dependency-free Linux build draws no text at all, silently, when /usr/share/fonts holds no font. Two
    /// charts that differ only in the words of their title then come out identical (a title's presence alone shifts
    /// the layout, so titled against untitled would not tell).
    /// </summary>
    [Test]
    public void TextIsDrawn()
    {
        using var folder = new TemporaryFolder();
        LineChart.WritePng(folder.File("a.png"), "Train loss", "x", "y", [("series", Epochs, Epochs)]);
        LineChart.WritePng(folder.File("b.png"), "Test loss", "x", "y", [("series", Epochs, Epochs)]);

        using var a = DecodedPng.Read(folder.File("a.png"));
        using var b = DecodedPng.Read(folder.File("b.png"));
        Assert.That(a.Pixels.SequenceEqual(b.Pixels), Is.False,
            "no text was drawn: install a font under /usr/share/fonts (Debian package fonts-dejavu-core)");
    }

    /// <summary>Without a name there is no legend; ScottPlot 5.1.59 draws a blank picture if asked for an empty one.</summary>
    [Test]
    public void SeriesWithoutNamesAreStillDrawn()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("unnamed.png");

        LineChart.WritePng(path, "", "", "", [("", Epochs, Epochs)]);

        using var png = DecodedPng.Read(path);
        Assert.That(png.Pixels.Distinct().Count(), Is.GreaterThan(2), "more than the background was drawn");
    }

    [Test]
    public void SeriesWithUnequalLengthsAreRejectedAndTheExistingFileKept()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("loss.png");
        File.WriteAllText(path, "previous");

        Assert.Throws<ArgumentException>(() =>
            LineChart.WritePng(path, "Loss", "epoch", "loss", [("train", Epochs, [1, 2, 3])]));

        Assert.That(File.ReadAllText(path), Is.EqualTo("previous"));
        Assert.That(DecodedPng.FilesIn(folder.Path), Is.EqualTo(new[] { "loss.png" }));
    }
}
