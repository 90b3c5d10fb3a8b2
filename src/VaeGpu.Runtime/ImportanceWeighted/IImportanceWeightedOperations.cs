using VaeGpu.Kernels;

namespace VaeGpu.Runtime.ImportanceWeighted;

/// <summary>
/// The importance-weighted bound L_K (kernels: VaeGpu.Kernels.ImportanceWeightedKernels). A batch of B images has
/// B K draw rows, image i's in rows iK .. iK + K - 1, with their NLL and log p(z) - log q(z|x) from the likelihood and
/// the reparameterisation.
/// </summary>
public interface IImportanceWeightedOperations
{
    /// <summary>
    /// Per image (boundPerImage, B x 1) the bound L_K; per draw (rowScale, B K x 1) gradientScale times its normalised
    /// weight; runningSums (B x 2) += [-L_K - KL, KL] with the image's analytic KL from klPerRow.
    /// </summary>
    void Weigh(Tensor nllPerRow, Tensor logDensityRatioPerRow, Tensor klPerRow, float gradientScale, Tensor rowScale, Tensor boundPerImage, Tensor runningSums);

    /// <summary>values (B K x columns): each row times its rowScale, turning every draw's gradient into its share of L_K's.</summary>
    void ScaleRows(Tensor values, Tensor rowScale);

    /// <summary>
    /// dHead (B x 2d) under a Pathwise, Stl or Dreg estimator from dz (B K x d, already row-scaled) and rowScale; eps
    /// regenerated from (seed, stream) as the reparameterisation drew it, by the same sampler.
    /// </summary>
    void EncoderBackward(Tensor head, ulong seed, ulong stream, Tensor dz, Tensor rowScale, GradientEstimator estimator, Tensor dHead, Sampler sampler = Sampler.Mc);
}
