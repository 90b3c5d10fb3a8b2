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

    const ulong Baseline = 6UL << 60, GradientVariance = 7UL << 60, Binarization = 8UL << 60;

    /// <summary>The one static binarisation of the train set (--binarize static).</summary>
    public const ulong TrainSetBinarization = Binarization | 1;

    /// <summary>The one static binarisation of the test set (--binarize dynamic or static, and eval --binarize static).</summary>
    public const ulong TestSetBinarization = Binarization | 2;

    /// <summary>The redraw of training step <paramref name="step"/>'s batch (--binarize dynamic).</summary>
    public static ulong StepBinarization(long step) => Binarization | (1UL << 56) | (ulong)step;

    /// <summary>Sample <paramref name="sample"/> of the encoder-gradient variance table.</summary>
    public static ulong GradientVarianceSample(int sample) => GradientVariance | (uint)sample;

    /// <summary>
    /// Draw <paramref name="draw"/> of the ScoreBaseline estimator's baseline for the step that uses <paramref name="stream"/>:
    /// the step's stream without its purpose bits, with the draw in bits 52-59.
    /// </summary>
    public static ulong BaselineDraw(ulong stream, int draw) => Baseline | ((ulong)(uint)draw << 52) | (stream & ((1UL << 52) - 1));

    /// <summary>eps of training step <paramref name="step"/> (counted from 0 over the whole run).</summary>
    public static ulong TrainStep(long step) => TrainNoise | (ulong)step;

    /// <summary>eps for test batch <paramref name="batch"/> after epoch <paramref name="epoch"/>.</summary>
    public static ulong TestBatch(int epoch, int batch) => TestNoise | ((ulong)epoch << 32) | (uint)batch;

    public static ulong EpochShuffle(int epoch) => Shuffle | (uint)epoch;

    public static ulong PriorSamples(int draw) => Samples | (uint)draw;

    /// <summary>eps for chunk <paramref name="chunk"/> of importance samples of evaluation batch <paramref name="batch"/>.</summary>
    public static ulong ImportanceSamples(int batch, int chunk) => Evaluation | ((ulong)batch << 32) | (uint)chunk;
}
