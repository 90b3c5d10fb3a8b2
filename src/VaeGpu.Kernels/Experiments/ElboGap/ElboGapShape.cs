namespace VaeGpu.Kernels;

/// <summary>
/// The linear-Gaussian model and the Gaussian q whose ELBO terms ElboGapKernels.Terms computes. Everything lives in one
/// parameter tensor, [x (d) | W (d x k, row-major) | b (d) | q mean (k) | q factor L (k x k, lower triangular,
/// row-major)], so one upload per q suffices and the kernel takes few arguments. With z = mean + L eps,
/// log p(x|z) + log p(z) - log q(z) = Offset - |x - W z - b|^2 / (2 sigma^2) - |z|^2 / 2 + |eps|^2 / 2, where every
/// constant (the 2 pi terms, log det L, and a centre the caller subtracts) is folded into Offset on the host in double.
/// </summary>
public struct ElboGapShape
{
    /// <summary>d, the dimension of x, and k, the dimension of z.</summary>
    public int Observed, Latent;

    /// <summary>1 / sigma^2 of the observation noise.</summary>
    public float InverseNoiseVariance;

    public float Offset;

    public readonly int WeightsStart => Observed;
    public readonly int BiasStart => Observed + Observed * Latent;
    public readonly int MeanStart => 2 * Observed + Observed * Latent;
    public readonly int FactorStart => MeanStart + Latent;

    /// <summary>Floats in the parameter tensor.</summary>
    public readonly int ParameterCount => FactorStart + Latent * Latent;
}
