using VaeGpu.Kernels;

namespace VaeGpu.Runtime.Reparameterization;

/// <summary>
/// The Gaussian encoder's sampling step and its gradient (kernels: VaeGpu.Kernels.ReparameterizationKernels). The
/// encoder head is B x 2d, [mu | log sigma^2]; eps for element r d + j is element r d + j of FillNormal(seed, stream).
/// </summary>
public interface IReparameterizationOperations
{
    /// <summary>
    /// z = mu + sigma eps; per z row the analytic KL(q || N(0, I)) and log p(z) - log q(z|x). z may hold K rows per head
    /// row (the importance-weighted bound's K draws per image): z row r draws from head row r / K. eps is FillNormal's
    /// (Sampler.Mc) or each image's K draws stratified per dimension (Sampler.Stratified: VaeGpu.Kernels.StratifiedDraws).
    /// </summary>
    void Forward(Tensor head, ulong seed, ulong stream, Tensor z, Tensor klPerRow, Tensor logDensityRatioPerRow, Sampler sampler = Sampler.Mc);

    /// <summary>
    /// Forward for a window of each image's coupled draws: z's K rows per head row are draws firstDraw .. firstDraw + K - 1
    /// of the drawsPerImage the sampler lays out per image (VaeGpu.Kernels.ImageDraws), so the draws of an image may be
    /// made a few at a time. Sampler.Mc ignores the window and draws as Forward does.
    /// </summary>
    void Forward(Tensor head, ulong seed, ulong stream, Tensor z, Tensor klPerRow, Tensor logDensityRatioPerRow, Sampler sampler, int firstDraw, int drawsPerImage);

    /// <summary>
    /// dHead = the loss gradient for [mu | log sigma^2] under the estimator in <paramref name="scalars"/>, from dz (the NLL's
    /// gradient reaching z) and the KL weight; eps is regenerated from (seed, stream). The score estimators also read
    /// nllPerRow and baselineSumPerRow (rows x 1); the others do not (pass null).
    /// </summary>
    void Backward(Tensor head, ulong seed, ulong stream, Tensor dz, Tensor dHead, EncoderEstimatorScalars scalars,
        Tensor? nllPerRow = null, Tensor? baselineSumPerRow = null);
}
