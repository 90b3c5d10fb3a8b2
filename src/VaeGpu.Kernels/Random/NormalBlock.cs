namespace VaeGpu.Kernels;

/// <summary>
/// The four standard normals of one Philox block of (seed, stream): Box-Muller on the pairs (X0, X1) and (X2, X3).
/// Elements 4 block .. 4 block + 3 of FillNormal; every kernel that draws normals a block at a time goes through here,
/// so they all draw the same numbers for the same counter.
/// </summary>
public readonly struct NormalBlock
{
    public readonly float N0, N1, N2, N3;

    NormalBlock(float n0, float n1, float n2, float n3) => (N0, N1, N2, N3) = (n0, n1, n2, n3);

    public static NormalBlock At(ulong seed, ulong stream, long block)
    {
        var bits = Philox4x32.ForBlock(seed, stream, block);
        RandomMath.Normals(bits.X0, bits.X1, out float n0, out float n1);
        RandomMath.Normals(bits.X2, bits.X3, out float n2, out float n3);
        return new NormalBlock(n0, n1, n2, n3);
    }

    public float this[int lane] => lane == 0 ? N0 : lane == 1 ? N1 : lane == 2 ? N2 : N3;
}
