namespace VaeGpu.Runtime.ImplicitDraws;

/// <summary>
/// Gamma, Dirichlet (and Beta, its two-coordinate case) and von Mises draws with their implicit reparameterisation
/// gradients (ImplicitDrawKernels), on any backend. Elements are counted from <c>first</c> so that a run split into
/// slices draws the numbers of the whole run. Every draw is a pure function of (seed, stream, element).
/// </summary>
public interface IImplicitDrawOperations
{
    /// <summary>logZ = log of Gamma(alpha, 1) draws, logDerivative = d log z / d alpha; all three tensors of one shape.</summary>
    void Gamma(Tensor alpha, ulong seed, ulong stream, long first, Tensor logZ, Tensor logDerivative);

    /// <summary>
    /// A Dirichlet draw per row of alpha [rows, K]: logZ = log of its coordinates, logGammaDerivative = d log G_j / d alpha_j
    /// of the Gammas behind them (DirichletMath.ConcentrationGradient turns them into a cost's gradient).
    /// </summary>
    void Dirichlet(Tensor alpha, ulong seed, ulong stream, long firstRow, Tensor logZ, Tensor logGammaDerivative);

    /// <summary>theta = von Mises(0, kappa) draws on (-pi, pi], derivative = dtheta / dkappa; all three of one shape.</summary>
    void VonMises(Tensor kappa, ulong seed, ulong stream, long first, Tensor theta, Tensor derivative);
}
