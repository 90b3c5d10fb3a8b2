namespace VaeGpu.Host.Model;

/// <summary>
/// Which Philox stream each random draw of a run uses, under the run's seed. Every draw is a pure function of
/// (seed, stream, element), so a resumed run repeats exactly the numbers of an uninterrupted one, and every device
/// draws the same ones. Streams of different purposes never overlap: the top bits name the purpose.
/// </summary>
public static class RandomStreams
{
    const ulong TrainNoise = 0UL << 60, TestNoise = 1UL << 60, Shuffle = 2UL << 60, Samples = 3UL << 60, Evaluation = 4UL << 60;

    public const ulong Initialisation = 5UL << 60;

    /// <summary>eps of training step <paramref name="step"/> (counted from 0 over the whole run).</summary>
    public static ulong TrainStep(long step) => TrainNoise | (ulong)step;

    /// <summary>eps for test batch <paramref name="batch"/> after epoch <paramref name="epoch"/>.</summary>
    public static ulong TestBatch(int epoch, int batch) => TestNoise | ((ulong)epoch << 32) | (uint)batch;

    public static ulong EpochShuffle(int epoch) => Shuffle | (uint)epoch;

    public static ulong PriorSamples(int draw) => Samples | (uint)draw;

    /// <summary>eps for chunk <paramref name="chunk"/> of importance samples of evaluation batch <paramref name="batch"/>.</summary>
    public static ulong ImportanceSamples(int batch, int chunk) => Evaluation | ((ulong)batch << 32) | (uint)chunk;
}
