namespace VaeGpu.Host.Experiments.GaussianMixture;

/// <summary>
/// The Philox streams of `vaegpu em` under its seed. The top bits (0xE) keep them apart from the VAE's streams
/// (Model/RandomStreams), the low bits name the purpose, so no two draws of a run share numbers.
/// </summary>
public static class EmStreams
{
    const ulong Experiment = 0xEUL << 60;

    /// <summary>Element n: the uniform that picks point n's component in the synthetic draw.</summary>
    public const ulong SyntheticComponents = Experiment | 1;

    /// <summary>Element n d + j: coordinate j of point n's standard normal noise in the synthetic draw.</summary>
    public const ulong SyntheticNoise = Experiment | 2;

    /// <summary>Block j: the uniform that picks the initial mean j (k-means++ seeding).</summary>
    public const ulong Initialisation = Experiment | 3;
}
