namespace VaeGpu.Host.Data;

/// <summary>
/// Count images of Rows x Columns pixels, row-major, one image after another, kept as the file's bytes (a quarter of
/// the memory of floats: Fashion-MNIST's train set is 47 MB instead of 188 MB); Pixels converts to [0, 1] on demand.
/// Labels (one per image) when the dataset has them.
/// </summary>
public sealed record ImageSet(byte[] Bytes, int Count, int Rows, int Columns, byte[]? Labels)
{
    /// <summary>value / 255f for every byte: a table lookup per pixel rather than a division, with the same results.</summary>
    static readonly float[] UnitIntensity = Enumerable.Range(0, 256).Select(value => value / 255f).ToArray();

    public int PixelsPerImage => Rows * Columns;

    /// <summary>Images [first, first + count) as floats in [0, 1].</summary>
    public float[] Pixels(int first, int count)
    {
        var pixels = new float[count * PixelsPerImage];
        CopyPixels(first, pixels);
        return pixels;
    }

    /// <summary>Every image as floats in [0, 1].</summary>
    public float[] Pixels() => Pixels(0, Count);

    /// <summary>Fills destination with the pixels of as many images from <paramref name="first"/> on as it holds.</summary>
    public void CopyPixels(int first, Span<float> destination)
    {
        var source = Bytes.AsSpan(first * PixelsPerImage, destination.Length);
        var table = UnitIntensity;
        for (int i = 0; i < source.Length; i++) destination[i] = table[source[i]];
    }
}
