using System.Buffers.Binary;
using System.IO.Compression;

namespace VaeGpu.Tests.Data;

/// <summary>Writes small IDX files, with the format spelled out here independently of IdxFile, which they check.</summary>
public static class IdxWriter
{
    public static byte[] Bytes(uint magic, int[] sizes, byte[] data)
    {
        var bytes = new byte[4 + 4 * sizes.Length + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, magic);
        for (int d = 0; d < sizes.Length; d++) BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4 + 4 * d), (uint)sizes[d]);
        data.CopyTo(bytes, 4 + 4 * sizes.Length);
        return bytes;
    }

    public static byte[] Gzip(byte[] bytes)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal)) gzip.Write(bytes);
        return compressed.ToArray();
    }

    /// <summary>Writes bytes to path, gzip-compressed when gzip is true, whatever the name says.</summary>
    public static string Write(string path, byte[] bytes, bool gzip)
    {
        File.WriteAllBytes(path, gzip ? Gzip(bytes) : bytes);
        return path;
    }

    public static string WriteImages(string path, int count, int rows, int columns, bool gzip, byte[]? pixels = null) =>
        Write(path, Bytes(0x00000803, [count, rows, columns], pixels ?? Pattern(count * rows * columns)), gzip);

    public static string WriteLabels(string path, byte[] labels, bool gzip) =>
        Write(path, Bytes(0x00000801, [labels.Length], labels), gzip);

    /// <summary>A data set folder for --data: train and test images of the given size, raw, with Pattern pixels.</summary>
    public static string WriteDataSet(string folder, int trainCount, int testCount, int rows, int columns)
    {
        Directory.CreateDirectory(folder);
        WriteImages(Path.Combine(folder, "train-images-idx3-ubyte"), trainCount, rows, columns, gzip: false, Pattern(trainCount * rows * columns));
        WriteImages(Path.Combine(folder, "t10k-images-idx3-ubyte"), testCount, rows, columns, gzip: false, Pattern(testCount * rows * columns));
        return Path.GetFullPath(folder);
    }

    /// <summary>A folder like Debian's Fashion-MNIST: four gzip-compressed IDX files, 28x28 images with labels, Pattern pixels.</summary>
    public static string WriteFashionMnistLike(string folder, int trainCount, int testCount)
    {
        Directory.CreateDirectory(folder);
        WriteImages(Path.Combine(folder, "train-images-idx3-ubyte.gz"), trainCount, 28, 28, gzip: true);
        WriteLabels(Path.Combine(folder, "train-labels-idx1-ubyte.gz"), [.. Enumerable.Range(0, trainCount).Select(i => (byte)(i % 10))], gzip: true);
        WriteImages(Path.Combine(folder, "t10k-images-idx3-ubyte.gz"), testCount, 28, 28, gzip: true);
        WriteLabels(Path.Combine(folder, "t10k-labels-idx1-ubyte.gz"), [.. Enumerable.Range(0, testCount).Select(i => (byte)(i % 7))], gzip: true);
        return Path.GetFullPath(folder);
    }

    /// <summary>length bytes that cover 0 and 255 and differ between neighbours.</summary>
    public static byte[] Pattern(int length) => Enumerable.Range(0, length).Select(i => (byte)(i == 1 ? 255 : i * 37)).ToArray();
}
