using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using VaeGpu.Host.Files;
using VaeGpu.Runtime;

namespace VaeGpu.Host.Data;

/// <summary>
/// Reads images from NumPy .npy files (format versions 1, 2 and 3): unsigned bytes ('|u1', pixel values 0..255,
/// scaled to [0, 1] as IDX bytes are) or little-endian float32 ('&lt;f4', taken as they are), in C order, of shape
/// [N, D] or [N, H, W]. The header is bounded and parsed strictly; the data must fill the rest of the file exactly, which
/// is checked against the file's length before anything is allocated. Anything wrong is a one-line UserErrorException
/// that starts with the file's path.
/// </summary>
public static partial class NpyFile
{
    const int MaxHeaderBytes = 1 << 16;
    static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    [GeneratedRegex(@"^\{\s*'descr'\s*:\s*'(?<descr>[^']*)'\s*,\s*'fortran_order'\s*:\s*(?<fortran>True|False)\s*,\s*'shape'\s*:\s*\((?<shape>[0-9,\s]*)\)\s*,?\s*\}\s*$")]
    private static partial Regex HeaderPattern();

    public static ImageSet ReadImages(string path)
    {
        if (!File.Exists(path)) throw new UserErrorException($"{path}: no such file.");
        InputFile.RequireRegular(path);
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 20);
            var (descr, shape, dataOffset) = ReadHeader(file, path);
            int itemBytes = descr switch
            {
                "|u1" or "<u1" => 1,
                "<f4" => 4,
                _ => throw new UserErrorException($"{path}: dtype '{descr}' is not supported: save the images as uint8 or float32 (numpy: a.astype(np.float32))."),
            };
            if (shape.Length is not (2 or 3))
                throw new UserErrorException($"{path}: shape ({string.Join(", ", shape)}) is not [N, D] or [N, H, W] images.");
            if (shape.Any(size => size < 1)) throw new UserErrorException($"{path}: shape ({string.Join(", ", shape)}) has an empty dimension.");
            long elements = 1;
            foreach (long size in shape)
                if ((elements *= size) > Array.MaxLength)
                    throw new UserErrorException($"{path}: shape ({string.Join(", ", shape)}) is more elements than an array can hold.");
            long expected = elements * itemBytes, found = file.Length - dataOffset;
            if (found != expected)
                throw new UserErrorException($"{path}: shape ({string.Join(", ", shape)}) of {descr} needs {expected} data bytes but the file holds {found}.");
            int count = (int)shape[0];
            var (rows, columns) = shape.Length == 3 ? ((int)shape[1], (int)shape[2]) : Picture((int)shape[1]);
            var bytes = new byte[expected];
            file.ReadExactly(bytes);
            if (itemBytes == 1) return new ImageSet(bytes, count, rows, columns, Labels: null) { Source = path };
            var values = new float[elements];
            for (long i = 0; i < elements; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan((int)(4 * i), 4));
            return new ImageSet([], count, rows, columns, Labels: null) { Floats = values, Source = path };
        }
        catch (IOException error)
        {
            throw new UserErrorException($"{path}: cannot read it: {error.Message.ReplaceLineEndings(" ")}");
        }
    }

    /// <summary>D pixels as a square picture where D is a square, else one row.</summary>
    static (int Rows, int Columns) Picture(int pixels)
    {
        int side = (int)Math.Round(Math.Sqrt(pixels));
        return side * side == pixels ? (side, side) : (1, pixels);
    }

    static (string Descr, long[] Shape, long DataOffset) ReadHeader(FileStream file, string path)
    {
        Span<byte> start = stackalloc byte[12];
        int read = file.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
        if (read < 10 || !start[..6].SequenceEqual(Magic))
            throw new UserErrorException($"{path}: not a NumPy .npy file (it does not start with \\x93NUMPY).");
        byte major = start[6];
        if (major is not (1 or 2 or 3)) throw new UserErrorException($"{path}: .npy format version {major}.{start[7]} is not one this reader knows (1, 2 or 3).");
        long headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(start[8..10]) : read < 12 ? -1 : BinaryPrimitives.ReadUInt32LittleEndian(start[8..12]);
        long headerStart = major == 1 ? 10 : 12;
        if (headerLength < 0 || headerLength > MaxHeaderBytes || headerStart + headerLength > file.Length)
            throw new UserErrorException($"{path}: its .npy header length {headerLength} is impossible for a file of {file.Length} bytes.");
        var header = new byte[headerLength];
        file.Seek(headerStart, SeekOrigin.Begin);
        file.ReadExactly(header);
        string text = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(header);
        var match = HeaderPattern().Match(text.TrimEnd('\n', ' ', '\0'));
        if (!match.Success) throw new UserErrorException($"{path}: its .npy header is not the dictionary numpy writes: {Shorten(text)}");
        if (match.Groups["fortran"].Value == "True")
            throw new UserErrorException($"{path}: the array is in Fortran order: save it in C order (numpy: np.ascontiguousarray(a)).");
        var shape = match.Groups["shape"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(size => long.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out long value) && value <= int.MaxValue
                ? value
                : throw new UserErrorException($"{path}: shape size '{size}' is not a whole number below 2^31."))
            .ToArray();
        return (match.Groups["descr"].Value, shape, headerStart + headerLength);
    }

    static string Shorten(string text)
    {
        string line = text.ReplaceLineEndings(" ").Trim();
        return line.Length <= 120 ? line : line[..120] + "...";
    }
}
