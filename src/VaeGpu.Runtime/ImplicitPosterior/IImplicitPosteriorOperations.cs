using VaeGpu.Kernels;

namespace VaeGpu.Runtime.ImplicitPosterior;

/// <summary>
/// The Gamma and Dirichlet encoders' sampling step and gradient (kernels: VaeGpu.Kernels.ImplicitPosteriorKernels).
/// The head is B x 2d ([shape | rate] before the softplus) for Gamma, B x d (concentrations before the softplus) for
/// Dirichlet; z's Gammas are elements r d + j of (seed, stream).
/// </summary>
public interface IImplicitPosteriorOperations
{
    /// <summary>z (K rows per head row), per z row the analytic KL(q || prior) and log p(z) - log q(z|x).</summary>
    void Forward(Posterior posterior, Tensor head, ulong seed, ulong stream, Tensor z, Tensor klPerRow, Tensor logDensityRatioPerRow);

    /// <summary>
    /// dHead = the implicit path-wise gradient of dz . z + klWeight KL for one draw per head row, from Forward's z and the
    /// same (seed, stream).
    /// </summary>
    void Backward(Posterior posterior, Tensor head, ulong seed, ulong stream, Tensor z, Tensor dz, float klWeight, Tensor dHead);
}
