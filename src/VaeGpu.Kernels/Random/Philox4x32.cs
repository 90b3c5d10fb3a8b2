namespace VaeGpu.Kernels;

/// <summary>
/// Counter-based Philox4x32-10 (Salmon et al. 2011, Random123). A pure function of (key, counter): the same
/// inputs give the same four 32-bit integers on every device and on the host, so random fills are reproducible
/// and independent of launch geometry. Plain uint fields and a ulong multiply keep it compilable for PTX and
/// OpenCL alike.
/// </summary>
public readonly struct Philox4x32
{
    public readonly uint X0, X1, X2, X3;

    public Philox4x32(uint x0, uint x1, uint x2, uint x3) => (X0, X1, X2, X3) = (x0, x1, x2, x3);

    const uint Multiplier0 = 0xD2511F53;
    const uint Multiplier1 = 0xCD9E8D57;
    const uint Weyl0 = 0x9E3779B9;
    const uint Weyl1 = 0xBB67AE85;

    /// <summary>Ten rounds of Philox4x32 on counter (c0..c3) under key (k0, k1).</summary>
    public static Philox4x32 Generate(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1)
    {
        for (int round = 0; round < 10; round++)
        {
            ulong product0 = (ulong)Multiplier0 * c0;
            ulong product1 = (ulong)Multiplier1 * c2;
            uint hi0 = (uint)(product0 >> 32), lo0 = (uint)product0;
            uint hi1 = (uint)(product1 >> 32), lo1 = (uint)product1;
            uint next0 = hi1 ^ c1 ^ k0;
            uint next2 = hi0 ^ c3 ^ k1;
            c0 = next0; c1 = lo1; c2 = next2; c3 = lo0;
            k0 += Weyl0; k1 += Weyl1;
        }
        return new Philox4x32(c0, c1, c2, c3);
    }

    /// <summary>
    /// The block of four integers that feeds elements 4*block .. 4*block+3 of a fill. The 64-bit seed is the key;
    /// the counter is (block, stream), so every (seed, stream) pair names an independent sequence.
    /// </summary>
    public static Philox4x32 ForBlock(ulong seed, ulong stream, long block) =>
        Generate((uint)block, (uint)((ulong)block >> 32), (uint)stream, (uint)(stream >> 32), (uint)seed, (uint)(seed >> 32));

    /// <summary>
    /// The block of attempt <paramref name="attempt"/> (0 to 255) of a rejection sampler's element <paramref name="element"/>
    /// (below 2^56): the counter is (element, stream) with the attempt in the counter's top byte, so every attempt of
    /// every element has its own integers and a draw is a pure function of (seed, stream, element) however many
    /// attempts its neighbours needed.
    /// </summary>
    public static Philox4x32 ForAttempt(ulong seed, ulong stream, long element, int attempt) =>
        Generate((uint)element, (uint)((ulong)element >> 32) | ((uint)attempt << 24), (uint)stream, (uint)(stream >> 32), (uint)seed, (uint)(seed >> 32));

    public uint this[int lane] => lane switch { 0 => X0, 1 => X1, 2 => X2, _ => X3 };
}
