using VaeGpu.Host.Data;
using VaeGpu.Host.Model;
using VaeGpu.Runtime;

namespace VaeGpu.Host.Training;

/// <summary>
/// Trains a VaeModel with its optimiser on images that are uploaded once and stay on the backend for the whole run. A step queues 16
/// launches for the canonical 784-400-20 model (gather, 6 forward, 8 backward, 1 optimiser) and reads nothing back;
/// the running loss is read every StepsBetweenLossReads steps and at the end of an epoch.
/// </summary>
public sealed class Trainer
{
    readonly IBackend backend;
    readonly VaeModel model;
    readonly TrainingStep trainingStep;
    readonly TrainingOptions options;
    readonly Tensor trainImages, testImages;
    readonly IndexBuffer trainOrder, testOrder;
    readonly float[] sumsOnHost;

    public TrainingState State { get; }
    public int TrainCount { get; }
    public int TestCount { get; }
    public int StepsPerEpoch => (TrainCount + options.BatchSize - 1) / options.BatchSize;

    public Trainer(IBackend backend, VaeModel model, IOptimizer optimizer, TrainingOptions options, ImageSet train, ImageSet test, TrainingState state)
    {
        this.backend = backend;
        this.model = model;
        trainingStep = new TrainingStep(backend, model, optimizer, options.Estimator);
        this.options = options;
        State = state;
        TrainCount = train.Count;
        TestCount = test.Count;
        MemoryBudget.Require(backend, 4L * ((long)train.Count + test.Count) * (train.PixelsPerImage + 1), $"{train.Count + test.Count} images as floats",
            advice: "use fewer images");
        trainImages = Upload(backend, train);
        testImages = Upload(backend, test);
        trainOrder = backend.AllocateIndices(TrainCount);
        testOrder = backend.AllocateIndices(TestCount);
        backend.Upload(Enumerable.Range(0, TestCount).ToArray(), testOrder);
        sumsOnHost = new float[model.RunningSums.Length];
    }

    /// <summary>The images as floats on the backend, converted a chunk at a time so the host never holds a second float copy.</summary>
    static Tensor Upload(IBackend backend, ImageSet images)
    {
        const int ChunkImages = 1024;
        var tensor = backend.Allocate(images.Count, images.PixelsPerImage);
        var chunk = new float[ChunkImages * images.PixelsPerImage];
        for (int first = 0; first < images.Count; first += ChunkImages)
        {
            int count = Math.Min(ChunkImages, images.Count - first);
            var pixels = chunk.AsSpan(0, count * images.PixelsPerImage);
            images.CopyPixels(first, pixels);
            backend.Upload(pixels, backend.View(tensor, first * images.PixelsPerImage, count, images.PixelsPerImage));
        }
        return tensor;
    }

    /// <summary>
    /// Runs epoch State.EpochsCompleted + 1 from State.StepInEpoch on (the running sums must then hold that epoch's
    /// sums so far). Returns the epoch's mean train loss and KL per sample, or null when cancelled or after
    /// <paramref name="maxSteps"/> steps: it then stops at a step boundary with State and the running sums ready for a
    /// checkpoint.
    /// </summary>
    public (double Loss, double Kl)? TrainEpoch(CancellationToken cancellation, Action<int, int, double>? progress = null, int maxSteps = int.MaxValue)
    {
        int epoch = State.EpochsCompleted + 1;
        backend.Upload(EpochShuffle.Order(TrainCount, options.Seed, epoch), trainOrder);
        if (State.StepInEpoch == 0) ResetRunningSums();
        int stepsTaken = 0;
        for (int step = State.StepInEpoch; step < StepsPerEpoch; step++)
        {
            if (cancellation.IsCancellationRequested || stepsTaken++ == maxSteps) return null;
            TrainStep(epoch, step);
            State.StepInEpoch = step + 1;
            bool endOfEpoch = step + 1 == StepsPerEpoch;
            if (endOfEpoch || (step + 1) % TrainingOptions.StepsBetweenLossReads == 0)
            {
                var (nll, kl) = ReadRunningSums(epoch);
                int seen = Math.Min((step + 1) * options.BatchSize, TrainCount);
                progress?.Invoke(step + 1, StepsPerEpoch, (nll + kl) / seen);
                if (endOfEpoch)
                {
                    State.StepInEpoch = 0;
                    State.EpochsCompleted = epoch;
                    return ((nll + kl) / TrainCount, kl / TrainCount);
                }
            }
        }
        throw new InvalidOperationException("an epoch has at least one step");
    }

    void TrainStep(int epoch, int step)
    {
        int first = step * options.BatchSize;
        var b = model.Buffers(Math.Min(options.BatchSize, TrainCount - first));
        ulong? binarization = options.Binarize == Binarization.Dynamic ? RandomStreams.StepBinarization(State.GlobalStep) : null;
        trainingStep.Run(b, trainImages, trainOrder, first, options.Seed, RandomStreams.TrainStep(State.GlobalStep), options.KlWeight(epoch, step, StepsPerEpoch), binarization);
        State.GlobalStep++;
    }

    /// <summary>-ELBO per test image with one sampled z each (as the reference does), and its KL part.</summary>
    public (double Loss, double Kl) TestLoss(int epoch)
    {
        ResetRunningSums();
        for (int batch = 0, first = 0; first < TestCount; batch++, first += options.BatchSize)
        {
            var b = model.Buffers(Math.Min(options.BatchSize, TestCount - first));
            backend.GatherRows(testImages, testOrder, first, b.X);
            model.Forward(b, options.Seed, RandomStreams.TestBatch(epoch, batch));
        }
        var (nll, kl) = ReadRunningSums(epoch);
        return ((nll + kl) / TestCount, kl / TestCount);
    }

    public void ResetRunningSums() => backend.Fill(model.RunningSums, 0f);

    /// <summary>The running sums as (NLL, KL) totals; a NaN or infinity means the parameters are gone.</summary>
    (double Nll, double Kl) ReadRunningSums(int epoch)
    {
        backend.Download(model.RunningSums, sumsOnHost);
        double nll = 0, kl = 0;
        for (int row = 0; row < model.BatchSize; row++)
        {
            nll += sumsOnHost[2 * row];
            kl += sumsOnHost[2 * row + 1];
        }
        if (!double.IsFinite(nll + kl)) throw new TrainingDivergedException(epoch, State.GlobalStep);
        return (nll, kl);
    }
}
