namespace VaeGpu.Kernels;

/// <summary>
/// One-dimensional standard normals by sampler, each a pure function of (seed, stream, replicate, point), written once
/// for the kernels and the CPU loops. The stratified and RQMC samplers map a uniform u in (0, 1) to a normal by the
/// inverse CDF, sqrt(2) erfinv(2u - 1), with Giles' single-precision erfinv (2010), whose w = -log((1 - x)(1 + x)) is
/// computed as -log(4 u v) from u and v = 1 - u, each formed exactly from the point's integers: 1 - u in float would
/// lose the upper tail (at u = 1 - 8.6e-5 the normal was off by 1.6e-4).
/// Reference: SamplingReference (the uniforms in double).
/// </summary>
public static class SamplingMath
{
    const float TwoToMinus24 = 1f / 16777216f;

    /// <summary>The largest float below 1: stratified points are kept under it, where the inverse CDF is finite.</summary>
    const float BelowOne = 1f - TwoToMinus24 / 2;

    /// <summary>Reverses the 32 bits of x.</summary>
    public static uint ReverseBits(uint x)
    {
        x = ((x >> 1) & 0x55555555u) | ((x & 0x55555555u) << 1);
        x = ((x >> 2) & 0x33333333u) | ((x & 0x33333333u) << 2);
        x = ((x >> 4) & 0x0F0F0F0Fu) | ((x & 0x0F0F0F0Fu) << 4);
        x = ((x >> 8) & 0x00FF00FFu) | ((x & 0x00FF00FFu) << 8);
        return (x >> 16) | (x << 16);
    }

    /// <summary>
    /// Coordinate <paramref name="dimension"/> of Sobol point <paramref name="index"/> as 32 bits of a fraction: the XOR
    /// of the dimension's direction integers (SobolDirections) for the index's set bits, from the index alone.
    /// </summary>
    public static uint SobolBits<TDirections>(TDirections directions, int dimension, uint index) where TDirections : struct, IDirectionTable
    {
        uint bits = 0;
        int row = dimension * SobolDirections.Bits;
        for (int bit = 0; index != 0; bit++, index >>= 1)
            if ((index & 1u) != 0) bits ^= directions[row + bit];
        return bits;
    }

    /// <summary>
    /// Laine and Karras's hash as Burley (2020) gives it: a bijection of 32 bits in which each bit depends only on the bits
    /// below it, so applied to reversed bits it permutes every dyadic interval's halves, as Owen's nested scrambling does.
    /// </summary>
    public static uint LaineKarras(uint x, uint seed)
    {
        x += seed;
        x ^= x * 0x6c50b47cu;
        x ^= x * 0xb82f1e52u;
        x ^= x * 0xc7afe638u;
        x ^= x * 0x8d22f6e6u;
        return x;
    }

    /// <summary>Burley's hash-based nested uniform (Owen) scramble of a 32-bit fraction.</summary>
    public static uint OwenScramble(uint bits, uint seed) => ReverseBits(LaineKarras(ReverseBits(bits), seed));

    /// <summary>The bits as a uniform in (0, 1): the top 24 bits plus one half, times 2^-24 (never 0, never 1).</summary>
    public static float Unit(uint bits) => ((bits >> 8) + 0.5f) * TwoToMinus24;

    /// <summary>The standard normal quantile of u in (0, 1), given v = 1 - u as accurately: sqrt(2) erfinv(u - v), Giles' polynomials.</summary>
    public static float InverseNormal(float u, float v)
    {
        float w = -MathF.Log(4f * u * v);
        float p;
        if (w < 5f)
        {
            w -= 2.5f;
            p = 2.81022636e-08f;
            p = 3.43273939e-07f + p * w;
            p = -3.5233877e-06f + p * w;
            p = -4.39150654e-06f + p * w;
            p = 0.00021858087f + p * w;
            p = -0.00125372503f + p * w;
            p = -0.00417768164f + p * w;
            p = 0.246640727f + p * w;
            p = 1.50140941f + p * w;
        }
        else
        {
            w = MathF.Sqrt(w) - 3f;
            p = -0.000200214257f;
            p = 0.000100950558f + p * w;
            p = 0.00134934322f + p * w;
            p = -0.00367342844f + p * w;
            p = 0.00573950773f + p * w;
            p = -0.0076224613f + p * w;
            p = 0.00943887047f + p * w;
            p = 1.00167406f + p * w;
            p = 2.83297682f + p * w;
        }
        return 1.41421356f * p * (u - v);
    }

    /// <summary>The scramble seed of a replicate: 32 bits of Philox (seed, stream, replicate), so replicates are independent.</summary>
    public static uint ReplicateSeed(ulong seed, ulong stream, int replicate) => Philox4x32.ForBlock(seed, stream ^ 0x5A3B1E5u, replicate).X0;

    /// <summary>
    /// Point i of a replicate of M points, as a uniform in (0, 1): Stratified, (i + U) / M with U element
    /// replicate M + i of FillUniform(seed, stream)'s integers; Rqmc, the Owen-scrambled van der Corput point i
    /// (bit-reversed i) under the replicate's scramble (ReplicateSeed).
    /// </summary>
    public static float PointUniform(Sampler sampler, ulong seed, ulong stream, int replicate, long pointsPerReplicate, long point) =>
        Point(sampler, seed, stream, replicate, ReplicateSeed(seed, stream, replicate), pointsPerReplicate, point, out _);

    /// <summary>
    /// The normal of point i of a replicate (Stratified or Rqmc); <paramref name="scramble"/> is ReplicateSeed(seed, stream,
    /// replicate), which a loop over a replicate's points computes once.
    /// </summary>
    public static float PointNormal(Sampler sampler, ulong seed, ulong stream, int replicate, uint scramble, long pointsPerReplicate, long point)
    {
        float u = Point(sampler, seed, stream, replicate, scramble, pointsPerReplicate, point, out float v);
        return InverseNormal(u, v);
    }

    /// <summary>PointUniform's u, and v = 1 - u formed from the same integers (exact for Rqmc, one rounding for Stratified).</summary>
    static float Point(Sampler sampler, ulong seed, ulong stream, int replicate, uint scramble, long pointsPerReplicate, long point, out float v)
    {
        if (sampler == Sampler.Rqmc)
        {
            uint top = OwenScramble(ReverseBits((uint)point), scramble) >> 8;
            v = (16777216u - top - 0.5f) * TwoToMinus24;
            return (top + 0.5f) * TwoToMinus24;
        }
        long element = replicate * pointsPerReplicate + point;
        float jitter = Unit(Philox4x32.ForBlock(seed, stream, element / 4)[(int)(element % 4)]);
        float u = (point + jitter) / pointsPerReplicate;
        v = (pointsPerReplicate - point - jitter) / pointsPerReplicate;
        if (u < BelowOne) return u;
        v = 1f - BelowOne;
        return BelowOne;
    }
}
