namespace VaeGpu.Kernels;

/// <summary>Turns Philox integers into uniform and normal floats, identically in kernels and on the host.</summary>
public static class RandomMath
{
    const float TwoToMinus24 = 1.0f / 16777216.0f;
    const float TwoPi = 6.2831853071795864769f;

    /// <summary>
    /// Uniform in (0, 1]: the top 24 bits plus one, times 2^-24. Every value is exactly representable, so the
    /// result is bit-identical everywhere, and zero never occurs (log(u) stays finite in Box-Muller).
    /// </summary>
    public static float Uniform(uint bits) => ((bits >> 8) + 1u) * TwoToMinus24;

    /// <summary>
    /// A Bernoulli draw with mean x from uniform integer bits: 1 when Uniform(bits) &lt;= x, else 0. Uniform is a
    /// multiple of 2^-24 in (0, 1], so x = 0 always gives 0, x = 1 always gives 1, and P(1) = x for x on that grid.
    /// </summary>
    public static float Binarized(float x, uint bits) => Uniform(bits) <= x ? 1f : 0f;

    /// <summary>Element e of FillUniform(seed, stream) on its own: lane e % 4 of Philox block e / 4.</summary>
    public static float UniformAt(ulong seed, ulong stream, long element) =>
        Uniform(Philox4x32.ForBlock(seed, stream, element / 4)[(int)(element % 4)]);

    /// <summary>
    /// Element e of FillNormal(seed, stream) on its own: lanes 0 and 1 of block e / 4 come from the pair (X0, X1),
    /// lanes 2 and 3 from (X2, X3). Lets a kernel regenerate the noise it used instead of storing it.
    /// </summary>
    public static float NormalAt(ulong seed, ulong stream, long element)
    {
        // Shifts, not / 4 and % 4: elements are never negative, and a signed 64-bit division is a subroutine call on a GPU.
        var bits = Philox4x32.ForBlock(seed, stream, element >> 2);
        int lane = (int)(element & 3);
        Normals(lane < 2 ? bits.X0 : bits.X2, lane < 2 ? bits.X1 : bits.X3, out float cosine, out float sine);
        return lane % 2 == 0 ? cosine : sine;
    }

    /// <summary>Box-Muller: two independent standard normals from two uniform integers.</summary>
    public static void Normals(uint radiusBits, uint angleBits, out float first, out float second)
    {
        float radius = MathF.Sqrt(-2.0f * MathF.Log(Uniform(radiusBits)));
        float angle = TwoPi * Uniform(angleBits);
        first = radius * MathF.Cos(angle);
        second = radius * MathF.Sin(angle);
    }
}
