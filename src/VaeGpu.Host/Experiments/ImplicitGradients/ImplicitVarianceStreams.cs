namespace VaeGpu.Host.Experiments.ImplicitGradients;

/// <summary>
/// Philox streams of the implicit testbeds. The estimates come from Samples, where the element counter is the sample
/// index, so the three estimators are formed from the same draws (their variances are compared on equal draws) and a
/// shard is a slice of one stream. The baseline's batch depends on the seed alone, so every shard uses the same one.
/// </summary>
public static class ImplicitVarianceStreams
{
    public const ulong Samples = 0, Baseline = 1;
}
