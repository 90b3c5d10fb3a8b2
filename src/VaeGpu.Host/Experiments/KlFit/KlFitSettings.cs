namespace VaeGpu.Host.Experiments.KlFit;

/// <summary>
/// Everything a `vaegpu kl-fit` run depends on; the same settings give the same numbers on every run and device.
/// RenyiAlphas are the Rényi fits' alphas, each with RenyiK draws per group (Batch must hold whole groups).
/// </summary>
public sealed record KlFitSettings(
    TargetMixture Target, long Samples, int Iterations, int Batch, double LearningRate, double InitialMu, double InitialSigma, ulong Seed,
    IReadOnlyList<double> RenyiAlphas, int RenyiK);
