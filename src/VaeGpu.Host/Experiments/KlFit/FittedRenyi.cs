namespace VaeGpu.Host.Experiments.KlFit;

/// <summary>A Gaussian fitted by the Rényi bound L_alpha,K (RenyiKlFit): its alpha, its draws per group K, and the fit.</summary>
public sealed record FittedRenyi(double Alpha, int K, FittedGaussian Fit);
