namespace VaeGpu.Kernels;

/// <summary>
/// The family of the encoder's q(z|x), with a prior of the same family: Gaussian (head [mu | log sigma^2], prior
/// N(0, I), the reparameterisation z = mu + sigma eps), Gamma (head [shape | rate] before a softplus, prior Gamma(1, 1)
/// per dimension) or Dirichlet (head [concentrations] before a softplus, prior Dirichlet(1, ..., 1) on the simplex);
/// the last two are trained with implicit reparameterisation gradients (ImplicitPosteriorMath).
/// </summary>
public enum Posterior
{
    Gaussian,
    Gamma,
    Dirichlet,
}
