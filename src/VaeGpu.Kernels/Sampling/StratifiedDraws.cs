namespace VaeGpu.Kernels;

/// <summary>
/// The K draws of each image as a Latin hypercube (`--sampler stratified` for the importance-weighted bound's draws):
/// element e = row d + j of a batch's noise, row = image K + k, is Phi^-1((pi(k) + U) / K), where pi is a permutation
/// of 0 .. K - 1 and U a uniform jitter, both keyed by (image, j) alone. So in every latent dimension an image's K draws
/// lie one per stratum of width 1/K, the strata are matched across dimensions at random, and each draw on its own is
/// exactly N(0, I). pi is a keyed bijection on the smallest power of two >= K (xor-shifts and odd multiplications of
/// the masked bits, each invertible on them) walked until it lands below K. Pure in (seed, stream, element), so the
/// backward pass regenerates what the forward drew.
/// </summary>
public readonly struct StratifiedDraws : INormalSource
{
    readonly ulong seed, stream;
    readonly int latent, samplesPerImage;

    public StratifiedDraws(ulong seed, ulong stream, int latent, int samplesPerImage) =>
        (this.seed, this.stream, this.latent, this.samplesPerImage) = (seed, stream, latent, samplesPerImage);

    public float At(long element) => SamplingMath.InverseNormal(Uniform(element, out float v), v);

    /// <summary>
    /// Draw k of image <paramref name="image"/>, column j (element (image K + k) d + j), by the coordinates At(element)
    /// divides the element back into: a caller that holds them (ImageDraws.At by coordinates) makes no 64-bit divisions,
    /// which in a kernel are calls to a subroutine that take registers of their own.
    /// </summary>
    public float At(long image, int j, int k) => SamplingMath.InverseNormal(Uniform(image, j, k, out float v), v);

    /// <summary>The element's point u = (pi(k) + U) / K in (0, 1), kept below 1, and v = 1 - u from the same numbers.</summary>
    public float Uniform(long element, out float v)
    {
        long row = element / latent;
        return Uniform(row / samplesPerImage, (int)(element % latent), (int)(row % samplesPerImage), out v);
    }

    /// <summary>Uniform of draw k of image <paramref name="image"/>, column j.</summary>
    public float Uniform(long image, int j, int k, out float v)
    {
        var keys = Philox4x32.ForBlock(seed, stream ^ KeyStream, image * latent + j);
        uint stratum = Permute((uint)k, (uint)samplesPerImage, keys.X0, keys.X1);
        // The jitter is the draw's own: Philox lane (k mod 4) of block (image, j, k / 4) under a third key stream.
        var jitterBits = Philox4x32.ForBlock(seed ^ keys.X2, stream ^ JitterStream, (image * latent + j) * ((samplesPerImage + 3) / 4) + k / 4)[k % 4];
        float jitter = SamplingMath.Unit(jitterBits);
        float u = (stratum + jitter) / samplesPerImage;
        v = MathF.Max((samplesPerImage - stratum - jitter) / samplesPerImage, 1f - BelowOne);
        return MathF.Min(u, BelowOne);
    }

    /// <summary>A keyed permutation of 0 .. count - 1: a bijection on the bits below the next power of two, walked until below count.</summary>
    static uint Permute(uint index, uint count, uint key, uint tweak)
    {
        uint mask = count - 1;
        mask |= mask >> 1; mask |= mask >> 2; mask |= mask >> 4; mask |= mask >> 8; mask |= mask >> 16;
        uint x = index;
        do
        {
            x ^= key; x *= 0x9E3779B1u;
            x ^= (x & mask) >> 3; x *= (tweak | 1u);
            x ^= (x & mask) >> 1; x *= 0x85EBCA77u;
            x ^= (x & mask) >> 2; x ^= key >> 16;
            x *= 0xC2B2AE3Du; x &= mask;
            x ^= x >> 4;
            x &= mask;
        }
        while (x >= count);
        return x;
    }

    const float BelowOne = 1f - 1f / 33554432f;

    /// <summary>Mixed into the stream for the permutation keys and the jitters, so they are not the Philox words of the plain draws.</summary>
    const ulong KeyStream = 0x3C6EF372FE94F82Bul, JitterStream = 0xA54FF53A5F1D36F1ul;
}
