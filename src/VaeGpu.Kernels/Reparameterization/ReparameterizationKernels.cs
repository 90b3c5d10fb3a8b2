using ILGPU;

namespace VaeGpu.Kernels;

/// <summary>
/// The Gaussian encoder's sampling step and its gradient. The encoder head is B x 2d: mu in columns [0, d), log sigma^2
/// in [d, 2d). z = mu + sigma * eps with eps element r * d + j of FillNormal(seed, stream), regenerated in the
/// backward pass rather than stored. One thread per row, so the per-row sums need no atomics.
/// Reference: ReparameterizationReference.
/// </summary>
public static class ReparameterizationKernels
{
    /// <summary>
    /// z, the analytic KL(q(z|x) || N(0, I)) = -1/2 sum(1 + lv - mu^2 - e^lv) per row, and per row
    /// log p(z) - log q(z|x) = sum(-z^2/2 + eps^2/2 + lv/2) (the 2 pi terms cancel), which importance weighting needs.
    /// </summary>
    [Kernel]
    public static void Forward(Index1D row, ArrayView<float> head, int latent, ulong seed, ulong stream,
        ArrayView<float> z, ArrayView<float> klPerRow, ArrayView<float> logDensityRatioPerRow)
    {
        float kl = 0f, logRatio = 0f;
        for (int j = 0; j < latent; j++)
        {
            float mu = head[row * 2 * latent + j];
            float logVariance = head[row * 2 * latent + latent + j];
            float eps = RandomMath.NormalAt(seed, stream, (long)(int)row * latent + j);
            z[row * latent + j] = ReparameterizationMath.Forward(mu, logVariance, eps, out float klTerm, out float logRatioTerm);
            kl += klTerm;
            logRatio += logRatioTerm;
        }
        klPerRow[row] = kl;
        logDensityRatioPerRow[row] = logRatio;
    }

    /// <summary>
    /// dHead for one latent element under the chosen estimator (ReparameterizationMath.Backward). The score estimators'
    /// signal for the element's row is (nllPerRow - BaselineScale * baselineSumPerRow) * SignalScale; the other kinds do not
    /// read those views.
    /// </summary>
    [Kernel]
    public static void Backward(Index1D index, ArrayView<float> head, int latent, ulong seed, ulong stream,
        ArrayView<float> dz, ArrayView<float> nllPerRow, ArrayView<float> baselineSumPerRow, EncoderEstimatorScalars scalars, ArrayView<float> dHead)
    {
        int row = index / latent, j = index % latent;
        float mu = head[row * 2 * latent + j];
        float logVariance = head[row * 2 * latent + latent + j];
        float eps = RandomMath.NormalAt(seed, stream, (int)index);
        float signal = 0f;
        if (scalars.Kind == EncoderEstimator.Score || scalars.Kind == EncoderEstimator.ScoreBaseline)
            signal = (nllPerRow[row] - scalars.BaselineScale * baselineSumPerRow[row]) * scalars.SignalScale;
        ReparameterizationMath.Backward(scalars.Kind, mu, logVariance, eps, dz[index], scalars.KlWeight, signal, out float dMu, out float dLogVariance);
        dHead[row * 2 * latent + j] = dMu;
        dHead[row * 2 * latent + latent + j] = dLogVariance;
    }
}
