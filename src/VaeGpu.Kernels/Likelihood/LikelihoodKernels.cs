using ILGPU;

namespace VaeGpu.Kernels;

/// <summary>
/// Decoder likelihoods: per-row negative log-likelihood in nats and its gradient with respect to the decoder output,
/// scaled by gradientScale (1 / batch size for a mean loss). One thread per row, so sums need no atomics.
/// Each kernel also adds the row's NLL and its KL (from the reparameterisation kernel) into runningSums (rows x 2),
/// which the training loop reads only every few hundred steps: no per-step host synchronisation.
/// The output may hold K rows per image of x (the importance-weighted bound's K draws per image): output row r is
/// scored against x row r / samplesPerImage, so x is never copied K times.
/// Formulas: LikelihoodMath. Reference: LikelihoodReference (double, for tests).
/// </summary>
public static class LikelihoodKernels
{
    /// <summary>Bernoulli on logits l: -log p(x|l) = softplus(l) - x l, gradient sigmoid(l) - x.</summary>
    [Kernel]
    public static void Bernoulli(Index1D row, ArrayView<float> logits, ArrayView<float> x, int columns, int samplesPerImage, float gradientScale,
        ArrayView<float> dLogits, ArrayView<float> nllPerRow, ArrayView<float> klPerRow, ArrayView<float> runningSums)
    {
        float nll = 0f;
        for (int j = 0; j < columns; j++)
        {
            int i = row * columns + j;
            float logit = logits[i], target = x[row / samplesPerImage * columns + j];
            nll += LikelihoodMath.Softplus(logit) - target * logit;
            dLogits[i] = gradientScale * (LikelihoodMath.Sigmoid(logit) - target);
        }
        Finish(row, nll, nllPerRow, klPerRow, runningSums);
    }

    /// <summary>
    /// Gaussian with fixed standard deviation sigma on the mean m: -log p(x|m) = (x - m)^2 / (2 sigma^2) + log(2 pi sigma^2) / 2,
    /// gradient (m - x) / sigma^2.
    /// </summary>
    [Kernel]
    public static void Gaussian(Index1D row, ArrayView<float> mean, ArrayView<float> x, int columns, int samplesPerImage, float gradientScale,
        float sigma, ArrayView<float> dMean, ArrayView<float> nllPerRow, ArrayView<float> klPerRow, ArrayView<float> runningSums)
    {
        float inverseVariance = 1f / (sigma * sigma);
        float nll = 0f;
        for (int j = 0; j < columns; j++)
        {
            int i = row * columns + j;
            float difference = mean[i] - x[row / samplesPerImage * columns + j];
            nll += 0.5f * difference * difference * inverseVariance;
            dMean[i] = gradientScale * difference * inverseVariance;
        }
        Finish(row, nll + columns * LikelihoodMath.GaussianLogNormaliser(sigma), nllPerRow, klPerRow, runningSums);
    }

    static void Finish(int row, float nll, ArrayView<float> nllPerRow, ArrayView<float> klPerRow, ArrayView<float> runningSums)
    {
        nllPerRow[row] = nll;
        runningSums[2 * row] += nll;
        runningSums[2 * row + 1] += klPerRow[row];
    }
}
