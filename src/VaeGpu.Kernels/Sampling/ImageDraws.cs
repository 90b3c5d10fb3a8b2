namespace VaeGpu.Kernels;

/// <summary>
/// The noise of a batch of K draws per image under a sampler, as the reparameterisation and the importance-weighted
/// encoder gradient both read it: Mc, FillNormal(seed, stream); Antithetic, AntitheticDraws; Stratified,
/// StratifiedDraws; Rqmc, SobolDraws. One struct, so each kernel is written once for every sampler (the branch is
/// uniform across a launch).
/// </summary>
public readonly struct ImageDraws<TDirections> : INormalSource where TDirections : struct, IDirectionTable
{
    readonly int sampler;
    readonly PhiloxNormals plain;
    readonly AntitheticDraws antithetic;
    readonly StratifiedDraws stratified;
    readonly SobolDraws<TDirections> sobol;

    public ImageDraws(Sampler sampler, ulong seed, ulong stream, int latent, int samplesPerImage, TDirections directions)
    {
        this.sampler = (int)sampler;
        plain = new PhiloxNormals(seed, stream);
        antithetic = new AntitheticDraws(seed, stream, latent);
        stratified = new StratifiedDraws(seed, stream, latent, samplesPerImage);
        sobol = new SobolDraws<TDirections>(seed, stream, latent, samplesPerImage, directions);
    }

    public float At(long element) => sampler switch
    {
        (int)Sampler.Antithetic => antithetic.At(element),
        (int)Sampler.Stratified => stratified.At(element),
        (int)Sampler.Rqmc => sobol.At(element),
        _ => plain.At(element),
    };
}
