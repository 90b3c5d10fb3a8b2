using VaeGpu.Kernels;
using VaeGpu.Runtime;

namespace VaeGpu.Host.Data;

/// <summary>
/// Count images of Rows x Columns pixels, row-major, one image after another: kept as the file's bytes (a quarter of
/// the memory of floats: Fashion-MNIST's train set is 47 MB instead of 188 MB), scaled to [0, 1] on demand, or as the
/// floats of a float32 .npy file (Floats; Bytes is then empty), taken as they are. Labels (one per image) when the
/// dataset has them; Source names the file, for messages.
/// </summary>
public sealed record ImageSet(byte[] Bytes, int Count, int Rows, int Columns, byte[]? Labels)
{
    /// <summary>value / 255f for every byte: a table lookup per pixel rather than a division, with the same results.</summary>
    static readonly float[] UnitIntensity = Enumerable.Range(0, 256).Select(value => value / 255f).ToArray();

    /// <summary>
    /// Images already in memory: <paramref name="count"/> images of rows x columns floats each, row-major, one after
    /// another (kept as they are, not copied).
    /// </summary>
    public static ImageSet FromPixels(float[] pixels, int count, int rows, int columns)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        if ((long)count * rows * columns != pixels.Length)
            throw new ArgumentException($"{pixels.Length} values are not {count} images of {rows} x {columns}.", nameof(pixels));
        return new ImageSet([], count, rows, columns, Labels: null) { Floats = pixels, Source = "the images in memory" };
    }

    /// <summary>The pixels of a float32 .npy file, or null for byte images.</summary>
    public float[]? Floats { get; init; }

    public string Source { get; init; } = "the images";

    public int PixelsPerImage => Rows * Columns;

    /// <summary>Images [first, first + count) as floats (bytes in [0, 1]).</summary>
    public float[] Pixels(int first, int count)
    {
        var pixels = new float[count * PixelsPerImage];
        CopyPixels(first, pixels);
        return pixels;
    }

    /// <summary>Every image as floats.</summary>
    public float[] Pixels() => Pixels(0, Count);

    /// <summary>Fills destination with the pixels of as many images from <paramref name="first"/> on as it holds.</summary>
    public void CopyPixels(int first, Span<float> destination)
    {
        if (Floats is not null)
        {
            Floats.AsSpan(first * PixelsPerImage, destination.Length).CopyTo(destination);
            return;
        }
        var source = Bytes.AsSpan(first * PixelsPerImage, destination.Length);
        var table = UnitIntensity;
        for (int i = 0; i < source.Length; i++) destination[i] = table[source[i]];
    }

    /// <summary>
    /// Refuses float pixels a decoder cannot score: any NaN or infinity, and for a Bernoulli decoder (unitInterval) any
    /// value outside [0, 1]; the message names the file, the image, the pixel and the value. Byte images always pass.
    /// </summary>
    public void RequireValues(bool unitInterval, string decoder)
    {
        if (Floats is null) return;
        for (long i = 0; i < Floats.LongLength; i++)
        {
            float value = Floats[i];
            bool bad = !float.IsFinite(value) || (unitInterval && value is < 0f or > 1f);
            if (bad)
                throw new UserErrorException($"{Source}: image {i / PixelsPerImage}, pixel {i % PixelsPerImage} (element {i}) is {value}; " +
                    (unitInterval ? $"a {decoder} decoder needs values in [0, 1] (rescale them, or train a Gaussian decoder)" : $"a {decoder} decoder needs finite values"));
        }
    }

    /// <summary>
    /// The images with every pixel replaced by a Bernoulli draw with its grey level as mean (stored as bytes 0 and 255):
    /// pixel e of the set (image-major) is RandomMath.Binarized of it and lane e % 4 of Philox block e / 4 of
    /// (seed, stream), as RandomKernels.Binarize would draw it over the whole set.
    /// </summary>
    public ImageSet Binarized(ulong seed, ulong stream)
    {
        var bits = new byte[(long)Count * PixelsPerImage];
        int imagesPerChunk = Math.Max(1, (1 << 20) / PixelsPerImage);
        var grey = new float[imagesPerChunk * PixelsPerImage];
        long block = -1;
        var random = default(Philox4x32);
        for (int image = 0; image < Count; image += imagesPerChunk)
        {
            var chunk = grey.AsSpan(0, Math.Min(imagesPerChunk, Count - image) * PixelsPerImage);
            CopyPixels(image, chunk);
            long first = (long)image * PixelsPerImage;
            for (int i = 0; i < chunk.Length; i++)
            {
                long e = first + i;
                if (e / 4 != block) random = Philox4x32.ForBlock(seed, stream, block = e / 4);
                bits[e] = RandomMath.Binarized(chunk[i], random[(int)(e % 4)]) == 1f ? (byte)255 : (byte)0;
            }
        }
        return new ImageSet(bits, Count, Rows, Columns, Labels) { Source = Source };
    }

    /// <summary>These images followed by <paramref name="other"/>'s (of the same size), with labels where both have them.</summary>
    public ImageSet Concat(ImageSet other)
    {
        if (other.PixelsPerImage != PixelsPerImage) throw new ArgumentException($"images of {other.PixelsPerImage} pixels after images of {PixelsPerImage}.", nameof(other));
        byte[]? labels = Labels is not null && other.Labels is not null ? [.. Labels, .. other.Labels] : null;
        if (Floats is null && other.Floats is null) return new ImageSet([.. Bytes, .. other.Bytes], Count + other.Count, Rows, Columns, labels) { Source = Source };
        return new ImageSet([], Count + other.Count, Rows, Columns, labels) { Floats = [.. Pixels(), .. other.Pixels()], Source = Source };
    }

    /// <summary>The images at these indices, in this order, with their labels.</summary>
    public ImageSet Select(int[] indices)
    {
        int pixels = PixelsPerImage;
        byte[] bytes = Floats is null ? new byte[(long)indices.Length * pixels] : [];
        float[]? floats = Floats is null ? null : new float[(long)indices.Length * pixels];
        for (int n = 0; n < indices.Length; n++)
            if (floats is null) Bytes.AsSpan(indices[n] * pixels, pixels).CopyTo(bytes.AsSpan(n * pixels));
            else Floats!.AsSpan(indices[n] * pixels, pixels).CopyTo(floats.AsSpan(n * pixels));
        return new ImageSet(bytes, indices.Length, Rows, Columns, Labels is null ? null : indices.Select(i => Labels[i]).ToArray()) { Floats = floats, Source = Source };
    }

    /// <summary>
    /// A train/test split of these images: round(Count testFraction) test images (at least one, and at least one left
    /// to train on) chosen by a Philox-driven shuffle with a fixed key, so train, eval and every --seed see the same
    /// split; each part keeps the file's order.
    /// </summary>
    public (ImageSet Train, ImageSet Test) Split(double testFraction)
    {
        int testCount = Math.Max(1, (int)Math.Round(Count * testFraction));
        if (testCount >= Count)
            throw new InvalidSettingException(nameof(testFraction), testFraction, $"{Source} has {Count} images, too few to keep {testCount} for testing and train on the rest.");
        var order = Enumerable.Range(0, Count).ToArray();
        const ulong SplitKey = 0x5EED5EED5EED5EED, SplitStream = 0x5B117;
        for (int i = Count - 1; i > 0; i--)
        {
            var bits = Philox4x32.ForBlock(SplitKey, SplitStream, i);
            int j = (int)((((ulong)bits.X0 << 32) | bits.X1) % (ulong)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }
        var test = order[..testCount];
        var train = order[testCount..];
        Array.Sort(test);
        Array.Sort(train);
        return (Select(train), Select(test));
    }
}
