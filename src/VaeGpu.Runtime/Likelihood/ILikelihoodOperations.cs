namespace VaeGpu.Runtime.Likelihood;

/// <summary>
/// The decoder likelihoods (kernels: VaeGpu.Kernels.LikelihoodKernels): per-row NLL in nats, its gradient with respect
/// to the decoder output times gradientScale, and runningSums (B x 2) += [NLL, klPerRow] per row, so the training loop
/// reads the loss only when it reports it. The output may have K rows per row of x (K draws per image): output row r
/// is scored against x row r / K.
/// </summary>
public interface ILikelihoodOperations
{
    /// <summary>Bernoulli on logits: dLogits = gradientScale (sigmoid(logits) - x).</summary>
    void Bernoulli(Tensor logits, Tensor x, float gradientScale, Tensor dLogits, Tensor nllPerRow, Tensor klPerRow, Tensor runningSums);

    /// <summary>Gaussian with fixed sigma: dMean = gradientScale (mean - x) / sigma^2.</summary>
    void Gaussian(Tensor mean, Tensor x, float sigma, float gradientScale, Tensor dMean, Tensor nllPerRow, Tensor klPerRow, Tensor runningSums);
}
