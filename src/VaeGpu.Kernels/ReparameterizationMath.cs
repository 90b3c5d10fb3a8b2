namespace VaeGpu.Kernels;

/// <summary>
/// The per-element formulas of the reparameterisation step, shared by the kernels and the host backend so the two
/// paths cannot drift apart. (ReparameterizationReference spells them out again, in double, as the independent check.)
/// </summary>
public static class ReparameterizationMath
{
    /// <summary>
    /// z = mu + sigma eps with sigma = e^(lv / 2); this element's part of KL(q || N(0, 1)), -(1 + lv - mu^2 - e^lv) / 2,
    /// and of log p(z) - log q(z|x), (eps^2 - z^2 + lv) / 2.
    /// </summary>
    public static float Forward(float mu, float logVariance, float eps, out float kl, out float logDensityRatio)
    {
        float z = mu + MathF.Exp(0.5f * logVariance) * eps;
        kl = -0.5f * (1f + logVariance - mu * mu - MathF.Exp(logVariance));
        logDensityRatio = 0.5f * (eps * eps - z * z + logVariance);
        return z;
    }

    /// <summary>Gradients for mu and log sigma^2 from dz and klWeight times the KL: dz + w mu and (dz eps sigma + w (sigma^2 - 1)) / 2.</summary>
    public static void Backward(float mu, float logVariance, float eps, float dz, float klWeight, out float dMu, out float dLogVariance)
    {
        float sigma = MathF.Exp(0.5f * logVariance);
        dMu = dz + klWeight * mu;
        dLogVariance = 0.5f * (dz * eps * sigma + klWeight * (sigma * sigma - 1f));
    }
}
