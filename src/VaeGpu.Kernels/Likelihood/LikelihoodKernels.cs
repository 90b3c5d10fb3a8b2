using ILGPU;

namespace VaeGpu.Kernels;

/// <summary>
/// Decoder likelihoods: per-row negative log-likelihood in nats and its gradient with respect to the decoder output,
/// scaled by gradientScale (1 / batch size for a mean loss). One group per row: the group's threads walk the row's
/// columns side by side (a warp reads 32 consecutive floats, one or two cache lines, where a thread per row touched 32
/// lines 3 KB apart) and GroupSum adds their sums in a fixed tree, so a device gives the same bits on every run and a
/// batch of 128 rows spreads over 128 groups rather than one. Each kernel also adds the row's NLL and its KL (from
/// the reparameterisation kernel) into runningSums (rows x 2), which the training loop reads only every few hundred
/// steps: no per-step host synchronisation.
/// The output may hold K rows per image of x (the importance-weighted bound's K draws per image): output row r is
/// scored against x row r / samplesPerImage, so x is never copied K times.
/// Launch with KernelConfig(rows, a power of two at most ReductionKernels.MaxGroupSize).
/// Formulas: LikelihoodMath. Reference: LikelihoodReference (double, for tests).
/// </summary>
public static class LikelihoodKernels
{
    /// <summary>Bernoulli on logits l: -log p(x|l) = softplus(l) - x l, gradient sigmoid(l) - x.</summary>
    [Kernel(KernelGrouping.Explicit)]
    public static void Bernoulli(ArrayView<float> logits, ArrayView<float> x, int columns, int samplesPerImage, float gradientScale,
        ArrayView<float> dLogits, ArrayView<float> nllPerRow, ArrayView<float> klPerRow, ArrayView<float> runningSums)
    {
        var shared = SharedMemory.Allocate<float>(ReductionKernels.MaxGroupSize);
        int row = Grid.IdxX;
        int output = row * columns, target = row / samplesPerImage * columns;
        float nll = 0f;
        for (int j = Group.IdxX; j < columns; j += Group.DimX)
        {
            float logit = logits[output + j], value = x[target + j];
            nll += LikelihoodMath.Softplus(logit) - value * logit;
            dLogits[output + j] = gradientScale * (LikelihoodMath.Sigmoid(logit) - value);
        }
        float rowNll = GroupSum.Of(shared, nll);
        if (Group.IdxX == 0) Finish(row, rowNll, nllPerRow, klPerRow, runningSums);
    }

    /// <summary>
    /// Gaussian with fixed standard deviation sigma on the mean m: -log p(x|m) = (x - m)^2 / (2 sigma^2) + log(2 pi sigma^2) / 2,
    /// gradient (m - x) / sigma^2.
    /// </summary>
    [Kernel(KernelGrouping.Explicit)]
    public static void Gaussian(ArrayView<float> mean, ArrayView<float> x, int columns, int samplesPerImage, float gradientScale,
        float sigma, ArrayView<float> dMean, ArrayView<float> nllPerRow, ArrayView<float> klPerRow, ArrayView<float> runningSums)
    {
        var shared = SharedMemory.Allocate<float>(ReductionKernels.MaxGroupSize);
        int row = Grid.IdxX;
        int output = row * columns, target = row / samplesPerImage * columns;
        float inverseVariance = 1f / (sigma * sigma);
        float nll = 0f;
        for (int j = Group.IdxX; j < columns; j += Group.DimX)
        {
            float difference = mean[output + j] - x[target + j];
            nll += 0.5f * difference * difference * inverseVariance;
            dMean[output + j] = gradientScale * difference * inverseVariance;
        }
        float rowNll = GroupSum.Of(shared, nll);
        if (Group.IdxX == 0) Finish(row, rowNll + columns * LikelihoodMath.GaussianLogNormaliser(sigma), nllPerRow, klPerRow, runningSums);
    }

    static void Finish(int row, float nll, ArrayView<float> nllPerRow, ArrayView<float> klPerRow, ArrayView<float> runningSums)
    {
        nllPerRow[row] = nll;
        runningSums[2 * row] += nll;
        runningSums[2 * row + 1] += klPerRow[row];
    }
}
