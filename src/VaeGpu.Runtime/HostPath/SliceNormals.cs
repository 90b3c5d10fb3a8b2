using System.Numerics;
using System.Numerics.Tensors;
using VaeGpu.Kernels;

namespace VaeGpu.Runtime.HostPath;

/// <summary>
/// Normals of Philox blocks firstBlock, firstBlock + 1, ... of (seed, stream), the same Box-Muller pairs as
/// RandomKernels.FillNormal: the host path's one normal generator (HostRandom.FillNormal and the gradient-estimator
/// testbed, whose slices start anywhere in a stream). The sine and cosine come from SinCosOfTurns, as
/// TensorPrimitives.SinCosPi runs one element at a time (9 ns a pair here, where the rest of Box-Muller takes about 1).
/// </summary>
internal static class SliceNormals
{
    public const int MaxLength = 4096;

    public static void Fill(Span<float> normals, ulong seed, ulong stream, long firstBlock)
    {
        if (normals.Length > MaxLength) throw new ArgumentOutOfRangeException(nameof(normals), normals.Length, $"at most {MaxLength} normals per call.");
        // Pair p takes its radius from integer 2p and its angle from integer 2p + 1 (X0,X1 and X2,X3 of a block).
        int pairs = (normals.Length + 1) / 2;
        Span<float> radius = stackalloc float[MaxLength / 2], angle = stackalloc float[MaxLength / 2];
        Span<float> sine = stackalloc float[MaxLength / 2], cosine = stackalloc float[MaxLength / 2];
        radius = radius[..pairs];
        angle = angle[..pairs];
        sine = sine[..pairs];
        cosine = cosine[..pairs];
        for (int p = 0; p < pairs; p += 2)
        {
            var bits = Philox4x32.ForBlock(seed, stream, firstBlock + p / 2);
            radius[p] = RandomMath.Uniform(bits.X0);
            angle[p] = RandomMath.Uniform(bits.X1);
            if (p + 1 < pairs)
            {
                radius[p + 1] = RandomMath.Uniform(bits.X2);
                angle[p + 1] = RandomMath.Uniform(bits.X3);
            }
        }
        TensorPrimitives.Log(radius, radius);
        TensorPrimitives.Multiply(radius, -2f, radius);
        TensorPrimitives.Sqrt(radius, radius);
        SinCosOfTurns(angle, sine, cosine);
        for (int p = 0; p < pairs; p++)
        {
            normals[2 * p] = radius[p] * cosine[p];
            if (2 * p + 1 < normals.Length) normals[2 * p + 1] = radius[p] * sine[p];
        }
    }

    /// <summary>
    /// sin and cos of 2 pi u for turns u in (0, 1], a vector at a time: with t = u - round(u) in [-1/2, 1/2] and
    /// a = pi t in [-pi/2, pi/2], Taylor polynomials give sin a and cos a (truncation below 6e-8), and the double-angle
    /// formulas give sin 2a and cos 2a. Measured against double over 4M uniforms: at most 5e-7 absolute error, the
    /// rounding of pi t, so the normals agree with the kernels' MathF.Sin/Cos to float precision.
    /// </summary>
    static void SinCosOfTurns(ReadOnlySpan<float> turns, Span<float> sine, Span<float> cosine)
    {
        int width = Vector<float>.Count, i = 0;
        for (; i <= turns.Length - width; i += width)
        {
            var (sinU, cosU) = SinCosOfTurns(new Vector<float>(turns[i..]));
            sinU.CopyTo(sine[i..]);
            cosU.CopyTo(cosine[i..]);
        }
        if (i == turns.Length) return;
        // The tail goes through the same polynomial, padded, so a sample's normal never depends on where a slice ends.
        Span<float> padded = stackalloc float[width], sinTail = stackalloc float[width], cosTail = stackalloc float[width];
        padded.Fill(1f);
        turns[i..].CopyTo(padded);
        var (sinRest, cosRest) = SinCosOfTurns(new Vector<float>(padded));
        sinRest.CopyTo(sinTail);
        cosRest.CopyTo(cosTail);
        sinTail[..(turns.Length - i)].CopyTo(sine[i..]);
        cosTail[..(turns.Length - i)].CopyTo(cosine[i..]);
    }

    static (Vector<float> Sine, Vector<float> Cosine) SinCosOfTurns(Vector<float> u)
    {
        var a = (u - Vector.Round(u)) * MathF.PI;
        var a2 = a * a;
        var sinA = a * (Vector<float>.One + a2 * (new Vector<float>(-1f / 6) + a2 * (new Vector<float>(1f / 120) + a2 * (new Vector<float>(-1f / 5040)
            + a2 * (new Vector<float>(1f / 362880) + a2 * new Vector<float>(-1f / 39916800))))));
        var cosA = Vector<float>.One + a2 * (new Vector<float>(-0.5f) + a2 * (new Vector<float>(1f / 24) + a2 * (new Vector<float>(-1f / 720)
            + a2 * (new Vector<float>(1f / 40320) + a2 * (new Vector<float>(-1f / 3628800) + a2 * new Vector<float>(1f / 479001600))))));
        return (2f * sinA * cosA, cosA * cosA - sinA * sinA);
    }
}
