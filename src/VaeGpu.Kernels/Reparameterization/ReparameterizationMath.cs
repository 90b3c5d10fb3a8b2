namespace VaeGpu.Kernels;

/// <summary>
/// The reparameterisation step written once: per-element formulas, and the row (forward) and element (backward)
/// bodies that ReparameterizationKernels and the host backend's loops both run, so the two paths cannot drift apart.
/// (ReparameterizationReference spells them out again, in double, as the independent check.)
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
    public static void Backward(GradientEstimator kind, float mu, float logVariance, float eps, float dz, float klWeight, float signal,
        out float dMu, out float dLogVariance)
    {
        float sigma = MathF.Exp(0.5f * logVariance);
        if (kind == GradientEstimator.Stl)
        {
            float throughZ = dz + klWeight * (mu + sigma * eps - eps / sigma);
            dMu = throughZ;
            dLogVariance = 0.5f * throughZ * eps * sigma;
            return;
        }
        float klMu = klWeight * mu, klLogVariance = 0.5f * klWeight * (sigma * sigma - 1f);
        if (kind == GradientEstimator.Pathwise)
        {
            dMu = dz + klMu;
            dLogVariance = 0.5f * dz * eps * sigma + klLogVariance;
            return;
        }
        dMu = signal * eps / sigma + klMu;
        dLogVariance = 0.5f * signal * (eps * eps - 1f) + klLogVariance;
    }

    /// <summary>
    /// Row r of the forward step: z's row from head row r / K [mu | log sigma^2] (K = samplesPerImage draws per image,
    /// 1 for the ELBO) and eps element r d + j of the normals; the row's analytic KL and log p(z) - log q(z|x).
    /// </summary>
    public static void ForwardRow<TStorage, TNormals>(int row, TStorage head, int latent, int samplesPerImage, TNormals normals,
        TStorage z, TStorage klPerRow, TStorage logDensityRatioPerRow) where TStorage : struct, IFloatStorage where TNormals : struct, IImageNormals
    {
        float kl = 0f, logRatio = 0f;
        int image = row / samplesPerImage, draw = row - image * samplesPerImage;
        for (int j = 0; j < latent; j++)
        {
            z[row * latent + j] = ForwardElement(head, latent, image, draw, j, normals, out float klTerm, out float logRatioTerm);
            kl += klTerm;
            logRatio += logRatioTerm;
        }
        klPerRow[row] = kl;
        logDensityRatioPerRow[row] = logRatio;
    }

    /// <summary>
    /// z for latent element j of image <paramref name="image"/>'s draw <paramref name="draw"/>, with its KL and log-ratio
    /// terms; the noise is read by coordinates, so no 64-bit division turns the element number back into them.
    /// </summary>
    public static float ForwardElement<TStorage, TNormals>(TStorage head, int latent, int image, int draw, int j, TNormals normals,
        out float kl, out float logDensityRatio) where TStorage : struct, IFloatStorage where TNormals : struct, IImageNormals
    {
        float mu = head[image * 2 * latent + j];
        float logVariance = head[image * 2 * latent + latent + j];
        return Forward(mu, logVariance, normals.At(image, draw, j), out kl, out logDensityRatio);
    }

    /// <summary>
    /// dHead for latent element <paramref name="index"/> under the estimator (Backward), eps element index of the normals. The score estimators' signal for
    /// the element's row is (nllPerRow - BaselineScale * baselineSumPerRow) * SignalScale; the other kinds do not read
    /// those two, and BaselineScale is 0 without a baseline.
    /// </summary>
    public static void BackwardElement<TStorage, TNormals>(int index, TStorage head, int latent, TNormals normals, TStorage dz,
        TStorage nllPerRow, TStorage baselineSumPerRow, EncoderEstimatorScalars scalars, TStorage dHead)
        where TStorage : struct, IFloatStorage where TNormals : struct, INormalSource
    {
        int row = index / latent, j = index % latent;
        float mu = head[row * 2 * latent + j];
        float logVariance = head[row * 2 * latent + latent + j];
        float eps = normals.At(index);
        float signal = 0f;
        if (scalars.Kind == GradientEstimator.Score || scalars.Kind == GradientEstimator.ScoreBaseline)
            signal = (nllPerRow[row] - scalars.BaselineScale * baselineSumPerRow[row]) * scalars.SignalScale;
        Backward(scalars.Kind, mu, logVariance, eps, dz[index], scalars.KlWeight, signal, out float dMu, out float dLogVariance);
        dHead[row * 2 * latent + j] = dMu;
        dHead[row * 2 * latent + latent + j] = dLogVariance;
    }
}
