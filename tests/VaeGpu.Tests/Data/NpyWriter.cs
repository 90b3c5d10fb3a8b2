using System.Text;

namespace VaeGpu.Tests.Data;

/// <summary>Writes .npy files as numpy.save does (header padded with spaces to a multiple of 64 bytes, ending in a newline).</summary>
public static class NpyWriter
{
    public static byte[] Bytes(string descr, int[] shape, byte[] data, int version = 1, bool fortranOrder = false)
    {
        string shapeText = shape.Length == 1 ? $"({shape[0]},)" : $"({string.Join(", ", shape)})";
        string dictionary = $"{{'descr': '{descr}', 'fortran_order': {(fortranOrder ? "True" : "False")}, 'shape': {shapeText}, }}";
        int prefix = version == 1 ? 10 : 12;
        int padded = (prefix + dictionary.Length + 1 + 63) / 64 * 64 - prefix;
        var header = Encoding.Latin1.GetBytes(dictionary.PadRight(padded - 1) + "\n");
        var file = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)version, 0 };
        file.AddRange(version == 1 ? BitConverter.GetBytes((ushort)header.Length) : BitConverter.GetBytes((uint)header.Length));
        file.AddRange(header);
        file.AddRange(data);
        return [.. file];
    }

    public static string Floats(string path, int[] shape, float[] values)
    {
        var data = new byte[4 * values.Length];
        Buffer.BlockCopy(values, 0, data, 0, data.Length);
        File.WriteAllBytes(path, Bytes("<f4", shape, data));
        return path;
    }

    public static string UnsignedBytes(string path, int[] shape, byte[] values)
    {
        File.WriteAllBytes(path, Bytes("|u1", shape, values));
        return path;
    }
}
