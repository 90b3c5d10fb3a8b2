using System.Numerics;
using VaeGpu.Kernels;

namespace VaeGpu.Runtime.HostPath;

/// <summary>
/// SamplingMath's RQMC normals a vector at a time: the bit reversals, Burley's hash and Giles' erfinv are the same
/// integer and float operations, with Vector.Log and Vector.SquareRoot for the transcendental ones, so the points are
/// the kernels' bit for bit and the normals agree up to the last bits of log. (One element at a time the inverse CDF
/// ran at 18% of the Philox fill's rate.)
/// </summary>
internal static class RqmcNormals
{
    /// <summary>normals[e] = the normal of point firstPoint + e of the replicate with this scramble (SamplingMath.PointNormal).</summary>
    public static void Fill(Span<float> normals, uint scramble, long firstPoint)
    {
        int width = Vector<uint>.Count, e = 0;
        var lanes = new Vector<uint>([.. Enumerable.Range(0, width).Select(i => (uint)i)]);
        for (; e <= normals.Length - width; e += width)
        {
            var point = new Vector<uint>((uint)(firstPoint + e)) + lanes;
            // OwenScramble(ReverseBits(point)) = ReverseBits(LaineKarras(point)).
            var top = Vector.ShiftRightLogical(Reverse(LaineKarras(point, scramble)), 8);
            var u = (Vector.ConvertToSingle(top) + new Vector<float>(0.5f)) * new Vector<float>(1f / 16777216f);
            var v = (Vector.ConvertToSingle(new Vector<uint>(16777216u) - top) - new Vector<float>(0.5f)) * new Vector<float>(1f / 16777216f);
            InverseNormal(u, v).CopyTo(normals[e..]);
        }
        uint seed = scramble;
        for (; e < normals.Length; e++)
        {
            uint top = SamplingMath.ReverseBits(SamplingMath.LaineKarras((uint)(firstPoint + e), seed)) >> 8;
            normals[e] = SamplingMath.InverseNormal((top + 0.5f) / 16777216f, (16777216u - top - 0.5f) / 16777216f);
        }
    }

    static Vector<uint> LaineKarras(Vector<uint> x, uint seed)
    {
        x += new Vector<uint>(seed);
        x ^= x * new Vector<uint>(0x6c50b47cu);
        x ^= x * new Vector<uint>(0xb82f1e52u);
        x ^= x * new Vector<uint>(0xc7afe638u);
        x ^= x * new Vector<uint>(0x8d22f6e6u);
        return x;
    }

    static Vector<uint> Reverse(Vector<uint> x)
    {
        Vector<uint> Swap(Vector<uint> value, uint mask, int shift) =>
            (Vector.ShiftRightLogical(value, shift) & new Vector<uint>(mask)) | Vector.ShiftLeft(value & new Vector<uint>(mask), shift);
        x = Swap(x, 0x55555555u, 1);
        x = Swap(x, 0x33333333u, 2);
        x = Swap(x, 0x0F0F0F0Fu, 4);
        x = Swap(x, 0x00FF00FFu, 8);
        return Vector.ShiftRightLogical(x, 16) | Vector.ShiftLeft(x, 16);
    }

    /// <summary>SamplingMath.InverseNormal on a vector: both of Giles' branches, selected per lane.</summary>
    static Vector<float> InverseNormal(Vector<float> u, Vector<float> v)
    {
        var w = -Vector.Log(new Vector<float>(4f) * u * v);
        var central = w - new Vector<float>(2.5f);
        var p = new Vector<float>(2.81022636e-08f);
        p = new Vector<float>(3.43273939e-07f) + p * central;
        p = new Vector<float>(-3.5233877e-06f) + p * central;
        p = new Vector<float>(-4.39150654e-06f) + p * central;
        p = new Vector<float>(0.00021858087f) + p * central;
        p = new Vector<float>(-0.00125372503f) + p * central;
        p = new Vector<float>(-0.00417768164f) + p * central;
        p = new Vector<float>(0.246640727f) + p * central;
        p = new Vector<float>(1.50140941f) + p * central;
        var tail = Vector.SquareRoot(w) - new Vector<float>(3f);
        var q = new Vector<float>(-0.000200214257f);
        q = new Vector<float>(0.000100950558f) + q * tail;
        q = new Vector<float>(0.00134934322f) + q * tail;
        q = new Vector<float>(-0.00367342844f) + q * tail;
        q = new Vector<float>(0.00573950773f) + q * tail;
        q = new Vector<float>(-0.0076224613f) + q * tail;
        q = new Vector<float>(0.00943887047f) + q * tail;
        q = new Vector<float>(1.00167406f) + q * tail;
        q = new Vector<float>(2.83297682f) + q * tail;
        var chosen = Vector.ConditionalSelect(Vector.LessThan(w, new Vector<float>(5f)), p, q);
        return new Vector<float>(1.41421356f) * chosen * (u - v);
    }
}
