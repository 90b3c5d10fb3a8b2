namespace VaeGpu.Host.Experiments.KlFit;

/// <summary>
/// What `vaegpu kl-fit` fits: the Gaussian q by each divergence and gradient, the two-component mixture q by reverse KL,
/// and the Gaussian q by the Rényi bound for each alpha, from reverse KL (alpha = 1) to mass covering (alpha &lt; 0).
/// </summary>
public sealed record KlFitResults(IReadOnlyList<FittedGaussian> Gaussians, FittedMixture Mixture, IReadOnlyList<FittedRenyi> Renyi);
