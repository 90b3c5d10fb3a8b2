namespace VaeGpu.References;

/// <summary>The plain managed reference for RandomKernels: one Philox block at a time, in order.</summary>
public static class RandomReference
{
    public static void FillUniform(float[] output, ulong seed, ulong stream)
    {
        for (int e = 0; e < output.Length; e++)
            output[e] = RandomMath.Uniform(Philox4x32.ForBlock(seed, stream, e / 4)[e % 4]);
    }

    /// <summary>x[e] = 1 where the double value of element e's uniform is at most x[e], else 0.</summary>
    public static void Binarize(float[] x, ulong seed, ulong stream)
    {
        for (int e = 0; e < x.Length; e++)
        {
            double u = ((Philox4x32.ForBlock(seed, stream, e / 4)[e % 4] >> 8) + 1.0) / 16777216.0;
            x[e] = u <= x[e] ? 1f : 0f;
        }
    }

    public static void FillNormal(float[] output, ulong seed, ulong stream)
    {
        for (int block = 0; 4 * block < output.Length; block++)
        {
            var bits = Philox4x32.ForBlock(seed, stream, block);
            RandomMath.Normals(bits.X0, bits.X1, out float z0, out float z1);
            RandomMath.Normals(bits.X2, bits.X3, out float z2, out float z3);
            float[] values = [z0, z1, z2, z3];
            for (int lane = 0; lane < 4 && 4 * block + lane < output.Length; lane++)
                output[4 * block + lane] = values[lane];
        }
    }
}
