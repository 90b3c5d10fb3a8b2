namespace VaeGpu.Host.Experiments.GradientEstimators;

/// <summary>
/// Philox streams of `vaegpu variance gaussian`. The estimates come from Samples, where the counter is the sample
/// index, so every estimator sees the same noise (common random numbers: their variances are compared on equal draws)
/// and a shard is a slice of one stream. The baseline and pilot batches are independent of it and depend on the seed
/// alone, so every shard of a run uses the same baselines and centres.
/// </summary>
public static class GradientEstimatorStreams
{
    public const ulong Samples = 0, Baseline = 1, Pilot = 2;
}
