using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using VaeGpu.Host.Files;

namespace VaeGpu.Host.Data;

/// <summary>
/// The writing half: a float32 matrix as a NumPy .npy file (format 1.0, '&lt;f4', C order, shape (rows, columns)), which
/// numpy.load and NpyFile read; written atomically (AtomicFile), so a reader never finds a part of it.
/// </summary>
public static partial class NpyFile
{
    /// <summary>The magic, the version, the header length and the header together are a multiple of this, as numpy pads them.</summary>
    const int HeaderAlignment = 64;

    public static void WriteFloats(string path, ReadOnlySpan<float> values, int rows, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 0);
        if ((long)rows * columns != values.Length)
            throw new ArgumentException($"{values.Length} values do not make a {rows} x {columns} matrix.", nameof(values));
        byte[] header = Header(rows, columns);
        var bytes = new byte[header.Length + 4L * values.Length];
        header.CopyTo(bytes, 0);
        var data = bytes.AsSpan(header.Length);
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(data.Slice(4 * i, 4), values[i]);
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    /// <summary>The magic, version 1.0, the header's length and the header dictionary, padded with spaces and ended by a newline.</summary>
    static byte[] Header(int rows, int columns)
    {
        string dictionary = string.Create(CultureInfo.InvariantCulture, $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows}, {columns}), }}");
        int unpadded = 10 + dictionary.Length + 1;
        string padded = dictionary + new string(' ', (HeaderAlignment - unpadded % HeaderAlignment) % HeaderAlignment) + "\n";
        var header = new byte[10 + padded.Length];
        header[0] = 0x93;
        Encoding.ASCII.GetBytes("NUMPY").CopyTo(header, 1);
        header[6] = 1;
        header[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8, 2), (ushort)padded.Length);
        Encoding.ASCII.GetBytes(padded).CopyTo(header, 10);
        return header;
    }
}
