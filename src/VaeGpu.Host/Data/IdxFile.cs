using System.Buffers.Binary;
using System.IO.Compression;
using VaeGpu.Host.Files;
using VaeGpu.Runtime;

namespace VaeGpu.Host.Data;

/// <summary>
/// Reads IDX files (the MNIST format: a big-endian magic number 0x0000TTDD for data type TT and DD dimensions, DD
/// big-endian 32-bit sizes, then the data), raw or gzip-compressed. Compression is told by the gzip magic bytes 1f 8b,
/// not by the name, so a renamed or already decompressed file reads the same. Anything wrong ends in a one-line
/// UserErrorException that starts with the file's path.
/// </summary>
public static class IdxFile
{
    public const uint ImagesMagic = 0x00000803;
    public const uint LabelsMagic = 0x00000801;

    sealed record Kind(uint Magic, string Description, string[] DimensionNames, string DataName);

    static readonly Kind Images = new(ImagesMagic, "images: unsigned bytes, 3 dimensions", ["image count", "rows", "columns"], "pixel");
    static readonly Kind Labels = new(LabelsMagic, "labels: unsigned bytes, 1 dimension", ["label count"], "label");

    /// <summary>The images as stored (pixel bytes); Labels is null.</summary>
    public static ImageSet ReadImages(string path)
    {
        var (sizes, data) = Read(path, Images);
        return new ImageSet(data, Count: sizes[0], Rows: sizes[1], Columns: sizes[2], Labels: null) { Source = path };
    }

    public static byte[] ReadLabels(string path) => Read(path, Labels).Data;

    static (int[] Sizes, byte[] Data) Read(string path, Kind kind)
    {
        if (!File.Exists(path)) throw new UserErrorException($"{path}: no such file.");
        InputFile.RequireRegular(path);
        bool gzip = false;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 20);
            gzip = StartsWithGzipMagic(file);
            using Stream content = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
            int[] sizes = ReadHeader(content, path, kind);
            // Multiplied a dimension at a time and checked each time, so three sizes near 2^31 cannot wrap around.
            long length = 1;
            foreach (int size in sizes)
                if ((length *= size) > Array.MaxLength)
                    throw new UserErrorException($"{path}: {string.Join(" x ", sizes)} {kind.DataName} bytes are more than an array can hold.");

            // The header's sizes are not trusted with memory: a raw file must hold them, and a gzip stream is read into
            // a buffer that grows only as data arrives.
            long headerBytes = 4 + 4 * sizes.Length;
            if (!gzip && file.Length - headerBytes < length)
                throw new UserErrorException($"{path}: truncated: expected {length} bytes of {kind.DataName} data, found {Math.Max(0, file.Length - headerBytes)}.");
            var (data, found) = ReadUpTo(content, length);
            if (found < length) throw new UserErrorException($"{path}: truncated: expected {length} bytes of {kind.DataName} data, found {found}.");
            // Counted only up to a bound: a gzip stream can inflate to any size past the data the header allows.
            long trailing = CountRemainingBytes(content, MaxTrailingCounted);
            if (trailing > 0)
                throw new UserErrorException($"{path}: {(trailing > MaxTrailingCounted ? $"more than {MaxTrailingCounted}" : trailing)} bytes of trailing garbage after the {data.Length} bytes of {kind.DataName} data.");
            return (sizes, data);
        }
        catch (InvalidDataException error) when (gzip)
        {
            throw new UserErrorException($"{path}: corrupt gzip stream (damaged or cut short: a bad CRC, length or block): {OneLine(error.Message)}; download or copy the file again.");
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new UserErrorException($"{path}: cannot read: {OneLine(error.Message)}");
        }
    }

    /// <summary>Up to length bytes of the stream, in a buffer grown by doubling from 64 MiB as data arrives.</summary>
    static (byte[] Data, long Found) ReadUpTo(Stream content, long length)
    {
        var data = new byte[Math.Min(length, 1 << 26)];
        long found = 0;
        while (true)
        {
            found += content.ReadAtLeast(data.AsSpan((int)found), data.Length - (int)found, throwOnEndOfStream: false);
            if (found < data.Length || data.Length == length) return (data, found);
            Array.Resize(ref data, (int)Math.Min(length, 2L * data.Length));
        }
    }

    static bool StartsWithGzipMagic(FileStream file)
    {
        Span<byte> start = stackalloc byte[2];
        int found = file.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
        file.Position = 0;
        return found == 2 && start[0] == 0x1f && start[1] == 0x8b;
    }

    /// <summary>The size of each dimension, after checking the magic number and that every size is at least 1.</summary>
    static int[] ReadHeader(Stream content, string path, Kind kind)
    {
        var header = new byte[4 + 4 * kind.DimensionNames.Length];
        int found = content.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        // The magic number first: the wrong kind of file says more than a short one.
        if (found >= 4)
        {
            uint magic = BinaryPrimitives.ReadUInt32BigEndian(header);
            if (magic != kind.Magic) throw new UserErrorException($"{path}: wrong magic number 0x{magic:X8}, expected 0x{kind.Magic:X8} ({kind.Description}).");
        }
        if (found < header.Length) throw new UserErrorException($"{path}: truncated: expected a {header.Length}-byte IDX header, found {found} bytes.");

        var sizes = new int[kind.DimensionNames.Length];
        for (int d = 0; d < sizes.Length; d++)
        {
            uint size = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4 + 4 * d));
            string name = kind.DimensionNames[d];
            if (size == 0) throw new UserErrorException($"{path}: the {name} in the IDX header is 0.");
            if (size > int.MaxValue) throw new UserErrorException($"{path}: the {name} in the IDX header, {size}, is too large.");
            sizes[d] = (int)size;
        }
        return sizes;
    }

    /// <summary>Trailing bytes counted in a message, at most; reading stops one past it.</summary>
    const int MaxTrailingCounted = 1 << 20;

    /// <summary>The bytes left in the stream, counted up to limit + 1 (then reading stops).</summary>
    static long CountRemainingBytes(Stream content, long limit)
    {
        var scratch = new byte[64 * 1024];
        long count = 0;
        for (int read; count <= limit && (read = content.Read(scratch)) > 0;) count += read;
        return Math.Min(count, limit + 1);
    }

    static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
