namespace VaeGpu.Host.Experiments.KlFit;

/// <summary>What `vaegpu kl-fit` fits: the Gaussian q by each divergence and gradient, and the two-component mixture q by reverse KL.</summary>
public sealed record KlFitResults(IReadOnlyList<FittedGaussian> Gaussians, FittedMixture Mixture);
