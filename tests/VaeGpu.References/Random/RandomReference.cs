namespace VaeGpu.References;

/// <summary>
/// The plain managed reference for RandomKernels, one Philox block at a time, in order, in double. It takes only the
/// Philox4x32-10 permutation from the kernels (Philox4x32.Generate, which RandomTests check against Random123's
/// known answers) and states the rest itself: block b of (seed, stream) is the counter (b, stream) under the key seed,
/// and feeds elements 4b .. 4b + 3; an integer's uniform is (top 24 bits + 1) / 2^24, in (0, 1]; normals are
/// Box-Muller pairs, sqrt(-2 ln u1) (cos, sin)(2 pi u2), lanes 0 and 1 from words 0 and 1, lanes 2 and 3 from words 2 and 3.
/// </summary>
public static class RandomReference
{
    const double TwoToThe24 = 16777216.0;

    public static void FillUniform(float[] output, ulong seed, ulong stream)
    {
        for (int e = 0; e < output.Length; e++) output[e] = (float)Uniform(Word(seed, stream, e / 4, e % 4));
    }

    /// <summary>x[e] = 1 where the double value of element e's uniform is at most x[e], else 0.</summary>
    public static void Binarize(float[] x, ulong seed, ulong stream)
    {
        for (int e = 0; e < x.Length; e++) x[e] = Uniform(Word(seed, stream, e / 4, e % 4)) <= x[e] ? 1f : 0f;
    }

    public static void FillNormal(float[] output, ulong seed, ulong stream)
    {
        for (int e = 0; e < output.Length; e++)
        {
            int lane = e % 4, pair = lane / 2 * 2;
            double radius = Math.Sqrt(-2 * Math.Log(Uniform(Word(seed, stream, e / 4, pair))));
            double angle = 2 * Math.PI * Uniform(Word(seed, stream, e / 4, pair + 1));
            output[e] = (float)(radius * (lane % 2 == 0 ? Math.Cos(angle) : Math.Sin(angle)));
        }
    }

    static double Uniform(uint word) => ((word >> 8) + 1) / TwoToThe24;

    static uint Word(ulong seed, ulong stream, long block, int word)
    {
        var bits = Philox4x32.Generate((uint)block, (uint)((ulong)block >> 32), (uint)stream, (uint)(stream >> 32), (uint)seed, (uint)(seed >> 32));
        return word switch { 0 => bits.X0, 1 => bits.X1, 2 => bits.X2, _ => bits.X3 };
    }
}
