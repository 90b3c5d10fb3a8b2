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

    /// <summary>
    /// Gradients of the loss for mu and log sigma^2 (lv) of one latent element, sigma = e^(lv / 2), w the KL weight:
    /// Pathwise: d/dmu = dz + w mu, d/dlv = (dz eps sigma + w (sigma^2 - 1)) / 2.
    /// Stl: with g = dz + w (z - eps / sigma), the gradient through z of NLL + w (log q(z|x) - log p(z)) at fixed q:
    /// d/dmu = g, d/dlv = g eps sigma / 2.
    /// Score, ScoreBaseline: signal s times the score of q, d log q / dmu = eps / sigma, d log q / dlv = (eps^2 - 1) / 2,
    /// plus the closed-form KL's gradient as in Pathwise.
    /// </summary>
    public static void Backward(EncoderEstimator kind, float mu, float logVariance, float eps, float dz, float klWeight, float signal,
        out float dMu, out float dLogVariance)
    {
        float sigma = MathF.Exp(0.5f * logVariance);
        if (kind == EncoderEstimator.Stl)
        {
            float throughZ = dz + klWeight * (mu + sigma * eps - eps / sigma);
            dMu = throughZ;
            dLogVariance = 0.5f * throughZ * eps * sigma;
            return;
        }
        float klMu = klWeight * mu, klLogVariance = 0.5f * klWeight * (sigma * sigma - 1f);
        if (kind == EncoderEstimator.Pathwise)
        {
            dMu = dz + klMu;
            dLogVariance = 0.5f * dz * eps * sigma + klLogVariance;
            return;
        }
        dMu = signal * eps / sigma + klMu;
        dLogVariance = 0.5f * signal * (eps * eps - 1f) + klLogVariance;
    }
}
