namespace VaeGpu.Host.Model;

/// <summary>
/// The VAE every speed figure and device check is about: Kingma and Welling's 784-400-20 with a Bernoulli decoder,
/// trained at batch 128 (the `train` defaults on Fashion-MNIST).
/// </summary>
public static class CanonicalVae
{
    public const int Batch = 128;

    /// <summary>SigmaX is unused by the Bernoulli decoder; 1 keeps the configuration valid.</summary>
    public static readonly VaeConfig Config = new(784, [400], 20, Likelihood.Bernoulli, 1f);
}
