using System.Globalization;

namespace VaeGpu.Kernels;

/// <summary>
/// The direction integers of the Sobol sequence in its first 1024 dimensions, from Joe and Kuo's new-joe-kuo-6.21201
/// (Sampling/JoeKuo, embedded in the assembly with its licence). Table[d * Bits + b] is v_{b+1} of dimension d scaled by
/// 2^32, the integer that bit b of a point's index XORs in, so point i is computed from i alone (SamplingMath.SobolBits):
/// any chunk, shard or image starts anywhere. Dimension 0 is van der Corput's (v_b = 2^(32 - b)); dimension d >= 1 takes
/// the file's line d + 1: s, a and m_1 .. m_s give v_1 .. v_s = m_k 2^(32 - k) and the rest by the recurrence
/// v_k = v_{k-s} ^ (v_{k-s} >> s) ^ XOR_{l=1}^{s-1} a_l v_{k-l}, a_l bit s - 1 - l of a (Bratley and Fox, Joe and Kuo).
/// </summary>
public static class SobolDirections
{
    /// <summary>Dimensions the table holds; a draw of more dimensions per point is refused where it is asked for.</summary>
    public const int Dimensions = 1024;

    /// <summary>Bits of a point, and so direction integers per dimension.</summary>
    public const int Bits = 32;

    static readonly Lazy<uint[]> table = new(Parse);

    /// <summary>Dimensions x Bits direction integers, dimension-major (read-only by contract: kernels receive a device copy).</summary>
    public static uint[] Table => table.Value;

    /// <summary>The embedded file's bytes, as Joe and Kuo publish them (the tests check their SHA-256).</summary>
    public static byte[] FileBytes() => Resource("VaeGpu.Kernels.JoeKuo.directions");

    /// <summary>The licence the direction numbers are distributed under.</summary>
    public static string Licence() => System.Text.Encoding.ASCII.GetString(Resource("VaeGpu.Kernels.JoeKuo.LICENSE"));

    static byte[] Resource(string name)
    {
        using var stream = typeof(SobolDirections).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"the assembly lacks its resource {name}: rebuild VaeGpu.Kernels.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    static uint[] Parse()
    {
        var directions = new uint[Dimensions * Bits];
        for (int b = 0; b < Bits; b++) directions[b] = 1u << (Bits - 1 - b);
        var lines = System.Text.Encoding.ASCII.GetString(FileBytes()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        for (int d = 1; d < Dimensions; d++)
        {
            var fields = lines[d].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(f => uint.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            if (fields[0] != d + 1) throw new InvalidOperationException($"line {d + 1} of the Joe-Kuo table is dimension {fields[0]}, not {d + 1}.");
            int s = (int)fields[1];
            uint a = fields[2];
            Span<uint> v = directions.AsSpan(d * Bits, Bits);
            for (int k = 0; k < Math.Min(s, Bits); k++) v[k] = fields[3 + k] << (Bits - 1 - k);
            for (int k = s; k < Bits; k++)
            {
                uint next = v[k - s] ^ (v[k - s] >> s);
                for (int l = 1; l < s; l++)
                    if (((a >> (s - 1 - l)) & 1) != 0) next ^= v[k - l];
                v[k] = next;
            }
        }
        return directions;
    }
}
