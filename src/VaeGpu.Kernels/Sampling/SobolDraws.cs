namespace VaeGpu.Kernels;

/// <summary>
/// The K draws of each image as randomised quasi-Monte Carlo (`--sampler rqmc` for the importance-weighted bound's
/// draws, QMC-VI of Buchholz, Wenzel and Mandt 2018): element e = row d + j of a batch's noise, row = image K + k, is
/// Phi^-1 of coordinate j of Sobol point k, Owen-scrambled (SamplingMath.OwenScramble) with a seed keyed by
/// (seed, stream, image, j) alone. So each image's K draws are one independently scrambled Sobol point set in d
/// dimensions, and each draw on its own is exactly N(0, I) (a nested uniform scramble makes every point uniform).
/// Needs d &lt;= SobolDirections.Dimensions. Pure in (seed, stream, element), so the backward pass regenerates what the
/// forward drew.
/// </summary>
public readonly struct SobolDraws<TDirections> : INormalSource where TDirections : struct, IDirectionTable
{
    readonly ulong seed, stream;
    readonly int latent, samplesPerImage;
    readonly TDirections directions;

    public SobolDraws(ulong seed, ulong stream, int latent, int samplesPerImage, TDirections directions) =>
        (this.seed, this.stream, this.latent, this.samplesPerImage, this.directions) = (seed, stream, latent, samplesPerImage, directions);

    public float At(long element) => SamplingMath.InverseNormal(Uniform(element, out float v), v);

    /// <summary>
    /// Draw k of image <paramref name="image"/>, column j (element (image K + k) d + j), by the coordinates At(element)
    /// divides the element back into: a caller that holds them (ImageDraws.At by coordinates) makes no 64-bit divisions,
    /// which in a kernel are calls to a subroutine that take registers of their own.
    /// </summary>
    public float At(long image, int j, int k) => SamplingMath.InverseNormal(Uniform(image, j, k, out float v), v);

    /// <summary>The element's scrambled Sobol coordinate u in (0, 1) (24 bits plus one half), and v = 1 - u formed exactly.</summary>
    public float Uniform(long element, out float v)
    {
        long row = element / latent;
        return Uniform(row / samplesPerImage, (int)(element % latent), (int)(row % samplesPerImage), out v);
    }

    /// <summary>Uniform of draw k of image <paramref name="image"/>, column j.</summary>
    public float Uniform(long image, int j, int k, out float v)
    {
        uint scramble = Philox4x32.ForBlock(seed, stream ^ ScrambleStream, image * latent + j).X0;
        uint top = SamplingMath.OwenScramble(SamplingMath.SobolBits(directions, j, (uint)k), scramble) >> 8;
        v = (16777216u - top - 0.5f) * TwoToMinus24;
        return (top + 0.5f) * TwoToMinus24;
    }

    const float TwoToMinus24 = 1f / 16777216f;

    /// <summary>Mixed into the stream for the scramble seeds, so they are not the Philox words of the plain draws.</summary>
    const ulong ScrambleStream = 0x510E527FADE682D1ul;
}
