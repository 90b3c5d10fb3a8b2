namespace VaeGpu.Kernels;

/// <summary>
/// SamplingMath's uniforms in double, written out again from their definitions (bit by bit for the scramble's
/// reversal), for the tests; the normals then come from an independent inverse CDF (MathNet's) in the tests.
/// </summary>
public static class SamplingReference
{
    static uint Reverse(uint x)
    {
        uint reversed = 0;
        for (int bit = 0; bit < 32; bit++) reversed |= ((x >> bit) & 1u) << (31 - bit);
        return reversed;
    }

    public static double PointUniform(Sampler sampler, ulong seed, ulong stream, int replicate, long pointsPerReplicate, long point)
    {
        if (sampler == Sampler.Rqmc)
        {
            uint scrambled = Reverse(SamplingMath.LaineKarras(Reverse(Reverse((uint)point)), SamplingMath.ReplicateSeed(seed, stream, replicate)));
            return ((scrambled >> 8) + 0.5) / 16777216.0;
        }
        long element = replicate * pointsPerReplicate + point;
        double jitter = ((Philox4x32.ForBlock(seed, stream, element / 4)[(int)(element % 4)] >> 8) + 0.5) / 16777216.0;
        return (point + jitter) / pointsPerReplicate;
    }
}
