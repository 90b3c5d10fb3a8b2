using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using VaeGpu.Host.Files;

namespace VaeGpu.Host.Data;

/// <summary>
/// The writing half: a float32 or float64 matrix as a NumPy .npy file (format 1.0, '&lt;f4' or '&lt;f8', C order,
/// shape (rows, columns)), which numpy.load reads; written atomically (AtomicFile), so a reader never finds a part of it.
/// </summary>
public static partial class NpyFile
{
    /// <summary>The magic, the version, the header length and the header together are a multiple of this, as numpy pads them.</summary>
    const int HeaderAlignment = 64;

    /// <summary>What `encode`, `decode` and `score` may replace: a file that starts as every .npy file does.</summary>
    public static readonly OutputKind Kind = new("a NumPy .npy file", path => OutputKind.Start(path, Magic.Length).SequenceEqual(Magic));

    public static void WriteFloats(string path, ReadOnlySpan<float> values, int rows, int columns)
    {
        var bytes = Allocate("<f4", sizeof(float), values.Length, rows, columns, out int offset);
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(offset + 4 * i, 4), values[i]);
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    public static void WriteDoubles(string path, ReadOnlySpan<double> values, int rows, int columns)
    {
        var bytes = Allocate("<f8", sizeof(double), values.Length, rows, columns, out int offset);
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(offset + 8 * i, 8), values[i]);
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    /// <summary>The file's bytes with the header in place; <paramref name="offset"/> is where the data starts.</summary>
    static byte[] Allocate(string descr, int itemBytes, int length, int rows, int columns, out int offset)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 0);
        if ((long)rows * columns != length) throw new ArgumentException($"{length} values do not make a {rows} x {columns} matrix.", nameof(length));
        byte[] header = Header(descr, rows, columns);
        var bytes = new byte[header.Length + (long)itemBytes * length];
        header.CopyTo(bytes, 0);
        offset = header.Length;
        return bytes;
    }

    /// <summary>The magic, version 1.0, the header's length and the header dictionary, padded with spaces and ended by a newline.</summary>
    static byte[] Header(string descr, int rows, int columns)
    {
        string dictionary = string.Create(CultureInfo.InvariantCulture, $"{{'descr': '{descr}', 'fortran_order': False, 'shape': ({rows}, {columns}), }}");
        int unpadded = 10 + dictionary.Length + 1;
        string padded = dictionary + new string(' ', (HeaderAlignment - unpadded % HeaderAlignment) % HeaderAlignment) + "\n";
        var header = new byte[10 + padded.Length];
        Magic.CopyTo(header, 0);
        header[6] = 1;
        header[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8, 2), (ushort)padded.Length);
        Encoding.ASCII.GetBytes(padded).CopyTo(header, 10);
        return header;
    }
}
