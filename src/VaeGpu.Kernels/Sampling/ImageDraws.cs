namespace VaeGpu.Kernels;

/// <summary>
/// The noise of a batch of draws per image under a sampler, as the reparameterisation and the importance-weighted
/// encoder gradient both read it: Mc, FillNormal(seed, stream); Antithetic, AntitheticDraws; Stratified,
/// StratifiedDraws; Rqmc, SobolDraws. One struct, so each kernel is written once for every sampler (the branch is
/// uniform across a launch). A launch may hold a window of an image's draws: its rowsPerImage rows per image are draws
/// firstDraw .. firstDraw + rowsPerImage - 1 of the drawsPerImage that the coupled samplers lay out per image (so
/// `eval` draws its K importance samples one row per image at a time, the same points as one launch of K rows would);
/// plain Monte Carlo reads the launch's own elements.
/// </summary>
public readonly struct ImageDraws<TDirections> : INormalSource, IImageNormals where TDirections : struct, IDirectionTable
{
    readonly int sampler, latent, rowsPerImage, firstDraw, drawsPerImage;
    readonly PhiloxNormals plain;
    readonly AntitheticDraws antithetic;
    readonly StratifiedDraws stratified;
    readonly SobolDraws<TDirections> sobol;

    /// <summary>All draws of each image in one launch: rows image K .. image K + K - 1.</summary>
    public ImageDraws(Sampler sampler, ulong seed, ulong stream, int latent, int samplesPerImage, TDirections directions)
        : this(sampler, seed, stream, latent, samplesPerImage, 0, samplesPerImage, directions)
    {
    }

    public ImageDraws(Sampler sampler, ulong seed, ulong stream, int latent, int rowsPerImage, int firstDraw, int drawsPerImage, TDirections directions)
    {
        (this.sampler, this.latent, this.rowsPerImage, this.firstDraw, this.drawsPerImage) = ((int)sampler, latent, rowsPerImage, firstDraw, drawsPerImage);
        plain = new PhiloxNormals(seed, stream);
        antithetic = new AntitheticDraws(seed, stream, latent);
        stratified = new StratifiedDraws(seed, stream, latent, drawsPerImage);
        sobol = new SobolDraws<TDirections>(seed, stream, latent, drawsPerImage, directions);
    }

    public float At(long element)
    {
        if (sampler == (int)Sampler.Mc) return plain.At(element);
        long row = element / latent;
        long draw = row / rowsPerImage * drawsPerImage + firstDraw + row % rowsPerImage;
        long laidOut = draw * latent + element % latent;
        return sampler switch
        {
            (int)Sampler.Antithetic => antithetic.At(laidOut),
            (int)Sampler.Stratified => stratified.At(laidOut),
            _ => sobol.At(laidOut),
        };
    }

    /// <summary>
    /// Row <paramref name="row"/> (0 .. rowsPerImage - 1) of image <paramref name="image"/>, column j: the same number as
    /// At((image rowsPerImage + row) d + j), from the coordinates At(element) would divide it back into (draw
    /// firstDraw + row of the image), so a kernel that walks an image's rows makes no 64-bit divisions: on the GPU each is
    /// a call to a subroutine, and the registers it takes on top of the caller's kept the IWAE encoder gradient over 32.
    /// </summary>
    public float At(int image, int row, int column)
    {
        if (sampler == (int)Sampler.Mc) return plain.At((long)(image * rowsPerImage + row) * latent + column);
        int draw = firstDraw + row;
        return sampler switch
        {
            (int)Sampler.Antithetic => antithetic.At((long)image * drawsPerImage + draw, column),
            (int)Sampler.Stratified => stratified.At(image, column, draw),
            _ => sobol.At(image, column, draw),
        };
    }
}
