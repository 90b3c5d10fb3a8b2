namespace VaeGpu.Kernels;

/// <summary>
/// Standard normals by element index: element e of FillNormal(seed, stream). A shared body reads its noise through
/// this, so a kernel draws each normal where it needs it (PhiloxNormals) while the CPU path reads a block it drew a
/// vector at a time (Runtime's DrawnNormals): the same numbers up to the last bits of log, sin and cos.
/// </summary>
public interface INormalSource
{
    float At(long element);
}

/// <summary>
/// The normals of a launch's draws addressed as image i's row r, column j (element (i R + r) d + j, R rows per image):
/// what a body that walks an image's rows reads (ImportanceWeightedMath.EncoderBackwardElement), so that a kernel's
/// source can hand the coordinates to the sampler instead of dividing the element back into them.
/// </summary>
public interface IImageNormals
{
    float At(int image, int row, int column);
}

/// <summary>Each normal drawn on the spot from its Philox block (RandomMath.NormalAt): what kernels use.</summary>
public readonly struct PhiloxNormals : INormalSource
{
    readonly ulong seed, stream;

    public PhiloxNormals(ulong seed, ulong stream) => (this.seed, this.stream) = (seed, stream);

    public float At(long element) => RandomMath.NormalAt(seed, stream, element);
}
