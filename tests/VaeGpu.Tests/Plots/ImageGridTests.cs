using SkiaSharp;
using VaeGpu.Cli.Plots;
using VaeGpu.Tests.Data;

namespace VaeGpu.Tests.Plots;

public class ImageGridTests
{
    const int Rows = 2, Columns = 3, Scale = 2, Separator = ImageGrid.SeparatorWidth;
    const int CellWidth = Columns * Scale, CellHeight = Rows * Scale;

    /// <summary>
    /// Three 2x3 images in a grid two wide: a white one, a black one, and one with NaN, out-of-range values and a gray;
    /// the fourth cell stays empty.
    /// </summary>
    static float[] ThreeImages() =>
    [
        1, 1, 1, 1, 1, 1,
        0, 0, 0, 0, 0, 0,
        float.NaN, 2, -1, 0.5f, 0, 0,
    ];

    [Test]
    public void DrawsEachImageScaledInItsCellWithSeparatorsAround()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("grid.png");

        ImageGrid.WritePng(path, ThreeImages(), imageCount: 3, Rows, Columns, gridColumns: 2, Scale);

        using var png = DecodedPng.Read(path);
        Assert.That(png.Width, Is.EqualTo(Separator + 2 * (CellWidth + Separator)));
        Assert.That(png.Height, Is.EqualTo(Separator + 2 * (CellHeight + Separator)));
        var gray = new SKColor(128, 128, 128);
        Assert.Multiple(() =>
        {
            Assert.That(PixelOfImage(png, 0, 0, 0), Is.EqualTo(SKColors.White), "white image");
            Assert.That(PixelOfImage(png, 0, Columns - 1, Rows - 1), Is.EqualTo(SKColors.White), "white image, far corner");
            Assert.That(PixelOfImage(png, 1, 0, 0), Is.EqualTo(SKColors.Black), "black image");
            Assert.That(PixelOfImage(png, 2, 0, 0), Is.EqualTo(ImageGrid.NaNColor), "NaN");
            Assert.That(PixelOfImage(png, 2, 1, 0), Is.EqualTo(SKColors.White), "2 clamped to white");
            Assert.That(PixelOfImage(png, 2, 2, 0), Is.EqualTo(SKColors.Black), "-1 clamped to black");
            Assert.That(PixelOfImage(png, 2, 0, 1), Is.EqualTo(gray), "0.5");
            Assert.That(png.GetPixel(0, 0), Is.EqualTo(ImageGrid.SeparatorColor), "outer border");
            Assert.That(png.GetPixel(Separator + CellWidth, Separator), Is.EqualTo(ImageGrid.SeparatorColor), "between columns");
            Assert.That(png.GetPixel(Separator, Separator + CellHeight), Is.EqualTo(ImageGrid.SeparatorColor), "between rows");
            Assert.That(PixelOfImage(png, 3, 0, 0), Is.EqualTo(ImageGrid.SeparatorColor), "empty fourth cell");
        });
        Assert.That(DecodedPng.FilesIn(folder.Path), Is.EqualTo(new[] { "grid.png" }), "no temporary file left");
    }

    [Test]
    public void WrongPixelCountIsRejectedAndTheExistingFileKept()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("grid.png");
        File.WriteAllText(path, "previous");

        Assert.Throws<ArgumentException>(() =>
            ImageGrid.WritePng(path, ThreeImages(), imageCount: 4, Rows, Columns, gridColumns: 2, Scale));

        Assert.That(File.ReadAllText(path), Is.EqualTo("previous"));
        Assert.That(DecodedPng.FilesIn(folder.Path), Is.EqualTo(new[] { "grid.png" }));
    }

    /// <summary>The top-left output pixel of source pixel (x, y) of the given image, or of an empty cell.</summary>
    static SKColor PixelOfImage(SKBitmap png, int image, int x, int y) => png.GetPixel(
        Separator + image % 2 * (CellWidth + Separator) + x * Scale,
        Separator + image / 2 * (CellHeight + Separator) + y * Scale);
}
