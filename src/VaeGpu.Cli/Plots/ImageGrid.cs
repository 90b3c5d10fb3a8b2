using SkiaSharp;
using VaeGpu.Host.SafeTensors;
using VaeGpu.Host.Files;

namespace VaeGpu.Cli.Plots;

/// <summary>
/// A PNG of grayscale images laid out in a grid (reconstructions, samples, the latent manifold): each image is
/// upscaled by whole pixels so that 28x28 digits stay sharp, and images are separated by a coloured line that cannot
/// be mistaken for image content.
/// </summary>
public static class ImageGrid
{
    /// <summary>Pixels between images and around the grid.</summary>
    public const int SeparatorWidth = 2;

    /// <summary>Drawn between images and in unused grid cells; blue, so that it differs from every gray level.</summary>
    public static readonly SKColor SeparatorColor = new(64, 96, 160);

    /// <summary>
    /// The largest grid a run draws: 2^24 canvas pixels (4096 x 4096, 64 MiB of RGBA, twice that while encoding), so
    /// that pictures stay a small part of a run's memory whatever the image size.
    /// </summary>
    public const long MaxCanvasPixels = 1L << 24;

    /// <summary>The canvas pixels of a grid of these images at this scale, counted in 64 bits.</summary>
    public static long CanvasPixels(int imageCount, int imageRows, int imageColumns, int gridColumns, int scale)
    {
        long gridRows = (imageCount + gridColumns - 1) / gridColumns;
        return (SeparatorWidth + gridColumns * ((long)imageColumns * scale + SeparatorWidth)) * (SeparatorWidth + gridRows * ((long)imageRows * scale + SeparatorWidth));
    }

    /// <summary>The largest scale up to <paramref name="preferred"/> at which the grid fits MaxCanvasPixels; 0 where even 1 does not.</summary>
    public static int FittingScale(int imageCount, int imageRows, int imageColumns, int gridColumns, int preferred)
    {
        for (int scale = preferred; scale >= 1; scale--)
            if (CanvasPixels(imageCount, imageRows, imageColumns, gridColumns, scale) <= MaxCanvasPixels) return scale;
        return 0;
    }

    /// <summary>NaN pixels: a decoder that produced NaN shows it instead of passing for black.</summary>
    public static readonly SKColor NaNColor = new(255, 0, 255);

    /// <summary>
    /// Writes <paramref name="imageCount"/> images of <paramref name="imageRows"/> x <paramref name="imageColumns"/>
    /// pixels, stored one after another row-major in <paramref name="pixels"/>, filling rows of
    /// <paramref name="gridColumns"/> images from the top left. Values are 0 (black) to 1 (white); values outside are
    /// clamped, NaN is drawn in <see cref="NaNColor"/>.
    /// </summary>
    public static void WritePng(string path, float[] pixels, int imageCount, int imageRows, int imageColumns, int gridColumns, int scale = 2)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(imageCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(imageRows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(imageColumns);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(gridColumns);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scale);
        if (pixels.Length != (long)imageCount * imageRows * imageColumns)
            throw new ArgumentException(
                $"{pixels.Length} pixels do not make {imageCount} images of {imageRows}x{imageColumns}.", nameof(pixels));

        int gridRows = (imageCount + gridColumns - 1) / gridColumns;
        int cellWidth = imageColumns * scale, cellHeight = imageRows * scale;
        var info = new SKImageInfo(
            SeparatorWidth + gridColumns * (cellWidth + SeparatorWidth),
            SeparatorWidth + gridRows * (cellHeight + SeparatorWidth),
            SKColorType.Rgba8888, SKAlphaType.Opaque);
        var rgba = new SKColor[info.Width * info.Height];
        Array.Fill(rgba, SeparatorColor);

        for (int image = 0; image < imageCount; image++)
        {
            int left = SeparatorWidth + image % gridColumns * (cellWidth + SeparatorWidth);
            int top = SeparatorWidth + image / gridColumns * (cellHeight + SeparatorWidth);
            int imageStart = image * imageRows * imageColumns;
            for (int y = 0; y < cellHeight; y++)
                for (int x = 0; x < cellWidth; x++)
                    rgba[(top + y) * info.Width + left + x] = ToColor(pixels[imageStart + y / scale * imageColumns + x / scale]);
        }

        using var bitmap = new SKBitmap(info) { Pixels = rgba };
        // Encoded in memory first: a write error (a full disk) inside SkiaSharp's stream callback aborts the process,
        // while one in the managed copy below is an ordinary, reported IOException.
        using var png = bitmap.Encode(SKEncodedImageFormat.Png, quality: 100)
            ?? throw new InvalidOperationException($"SkiaSharp could not encode {path} as PNG.");
        AtomicFile.Write(path, stream => png.SaveTo(stream));
    }

    static SKColor ToColor(float value)
    {
        if (float.IsNaN(value))
            return NaNColor;
        byte level = (byte)MathF.Round(Math.Clamp(value, 0f, 1f) * 255f);
        return new SKColor(level, level, level);
    }
}
