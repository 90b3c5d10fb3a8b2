namespace VaeGpu.Kernels;

/// <summary>
/// The K draws of each image as K / 2 antithetic pairs (`--sampler antithetic` for the importance-weighted bound's
/// draws; K even): draw k of an image is (-1)^k times the plain draw (FillNormal(seed, stream)) of its pair's first
/// row, image K + k - k mod 2. Each draw on its own is exactly N(0, I); within a pair eps and -eps. Pure in
/// (seed, stream, element), so the backward pass regenerates what the forward drew.
/// </summary>
public readonly struct AntitheticDraws : INormalSource
{
    readonly ulong seed, stream;
    readonly int latent;

    public AntitheticDraws(ulong seed, ulong stream, int latent) => (this.seed, this.stream, this.latent) = (seed, stream, latent);

    public float At(long element) => Pair(element / latent, element);

    /// <summary>
    /// Element row d + column, given its row, so a caller that holds the row (ImageDraws.At by coordinates) divides
    /// nothing: the same integers, so the same number, as At(row d + column).
    /// </summary>
    public float At(long row, int column) => Pair(row, row * latent + column);

    float Pair(long row, long element)
    {
        float eps = RandomMath.NormalAt(seed, stream, element - (row & 1) * latent);
        return (row & 1) == 0 ? eps : -eps;
    }
}
