using System.Diagnostics;
using VaeGpu.Host.Data;
using VaeGpu.Host.Evaluation;
using VaeGpu.Host.Model;
using VaeGpu.Host.SafeTensors;
using VaeGpu.Host.Training;
using VaeGpu.Kernels;
using VaeGpu.Runtime;
using VaeGpu.Runtime.HostPath;

namespace VaeGpu.Host;

/// <summary>
/// A variational autoencoder on one backend, as a C# program uses it: create or load it, train it (Fit, or one Step at
/// a time), save it, and encode, decode, reconstruct, sample and score images. Images are float arrays of N rows of
/// Config.Inputs pixels, row-major; latent codes N rows of Config.Latent values.
/// Training is the `vaegpu train` loop: the same seed gives the same numbers, and a checkpoint saved on cancellation
/// resumes to the bits of an uninterrupted run. Scoring and inference run on a second model that takes a copy of the
/// parameters, so they never disturb a run's loss sums or buffers. The backend is the caller's: dispose it after use.
/// </summary>
public sealed class Vae
{
    readonly IBackend backend;
    VaeModel? inferenceModel;
    TrainingStep? step;
    Tensor? stepImages;
    IndexBuffer? stepOrder;

    Vae(IBackend backend, VaeModel model, IOptimizer optimizer, TrainingOptions options, TrainingState state)
    {
        this.backend = backend;
        Model = model;
        Optimizer = optimizer;
        Options = options;
        State = state;
    }

    /// <summary>The parameters, gradients and activations on the backend: for code that drives the model operation by operation.</summary>
    public VaeModel Model { get; }

    public VaeConfig Config => Model.Config;

    /// <summary>The optimiser, with its state on the backend.</summary>
    public IOptimizer Optimizer { get; }

    public TrainingOptions Options { get; private set; }

    /// <summary>Where training stands: epochs and steps taken, the metrics of finished epochs, the data's digest.</summary>
    public TrainingState State { get; }

    /// <summary>A new VAE, initialised as PyTorch initialises linear layers from Philox (options.Seed).</summary>
    public static Vae Create(IBackend backend, VaeConfig config, TrainingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(config);
        config = config.Validated();
        options = (options ?? TrainingOptions.Default).Validated();
        PosteriorChoice.Require(config.Posterior, options.Objective, options.Estimator, options.Sampler);
        var model = new VaeModel(backend, config, options.BatchSize, options.Objective, options.Sampler);
        model.Initialise(options.Seed);
        return new Vae(backend, model, options.CreateOptimizer(backend, model.Layout.Count), options, new TrainingState());
    }

    /// <summary>A saved model (model.safetensors, in VaeGpu's or PyTorch's layout), ready to use or to train further with <paramref name="options"/>.</summary>
    public static Vae Load(IBackend backend, string path, TrainingOptions? options = null) => Load(backend, ModelFile.Load(path), options);

    /// <inheritdoc cref="Load(IBackend, string, TrainingOptions?)"/>
    public static Vae Load(IBackend backend, Stream stream, TrainingOptions? options = null) =>
        Load(backend, ModelFile.Load(SafeTensorsFile.Read(stream)), options);

    static Vae Load(IBackend backend, (VaeConfig Config, float[] Parameters) saved, TrainingOptions? options)
    {
        ArgumentNullException.ThrowIfNull(backend);
        options = (options ?? TrainingOptions.Default).Validated();
        PosteriorChoice.Require(saved.Config.Posterior, options.Objective, options.Estimator, options.Sampler);
        var model = new VaeModel(backend, saved.Config, options.BatchSize, options.Objective, options.Sampler);
        backend.Upload(saved.Parameters, model.Parameters);
        return new Vae(backend, model, options.CreateOptimizer(backend, model.Layout.Count), options, new TrainingState());
    }

    /// <summary>The model as safetensors: each layer's weight (inputs x outputs) and bias, and the configuration in the metadata.</summary>
    public void Save(string path) => ModelFile.Save(path, Model, backend);

    /// <inheritdoc cref="Save(string)"/>
    public void Save(Stream stream) => ModelFile.Save(stream, Model, backend);

    /// <summary>A run saved by SaveCheckpoint (or by `vaegpu train`): model, optimiser state, options and where it stood.</summary>
    public static Vae LoadCheckpoint(IBackend backend, string path)
    {
        var (model, optimizer, options, state) = Checkpoint.Load(path, backend);
        return new Vae(backend, model, optimizer, options, state);
    }

    /// <summary>Everything a resumed run needs to continue with the numbers of an uninterrupted one.</summary>
    public void SaveCheckpoint(string path) => Checkpoint.Save(path, Model, Optimizer, backend, Options, State);

    /// <summary>Sets the epochs the run aims for (what a checkpoint records as its length); nothing else of the options may change.</summary>
    public void SetTargetEpochs(int epochs) => Options = (Options with { Epochs = epochs }).Validated();

    /// <summary>
    /// Trains <paramref name="epochs"/> more epochs (an epoch in progress, after LoadCheckpoint, is the first of them)
    /// on <paramref name="train"/>, measuring the test loss on <paramref name="test"/> after each. After each epoch its
    /// result goes to <paramref name="epochCompleted"/> (save a checkpoint there) and then to <paramref name="progress"/>;
    /// <paramref name="stepProgress"/> hears (step, steps in the epoch, mean loss so far) every 200 steps and at an
    /// epoch's end. Cancellation stops at a step boundary. Throws TrainingDivergedException when the loss becomes NaN.
    /// </summary>
    public FitResult Fit(ImageSet train, ImageSet test, int epochs, IProgress<EpochResult>? progress = null, CancellationToken cancellation = default,
        Action<EpochResult>? epochCompleted = null, Action<int, int, double>? stepProgress = null)
    {
        RequireImages(train, nameof(train));
        RequireImages(test, nameof(test));
        ArgumentOutOfRangeException.ThrowIfLessThan(epochs, 1);
        var trainer = new Trainer(backend, Model, Optimizer, Options, TrainingImages.Train(train, Options), TrainingImages.Test(test, Options), State);
        var finished = new List<EpochResult>();
        for (int last = State.EpochsCompleted + epochs; State.EpochsCompleted < last;)
        {
            int epoch = State.EpochsCompleted + 1;
            var loadBefore = MachineLoad.Read(Environment.ProcessId, includeReapedChildren: false);
            var clock = Stopwatch.StartNew();
            var loss = trainer.TrainEpoch(cancellation, stepProgress);
            double seconds = clock.Elapsed.TotalSeconds;
            if (loss is null) return new FitResult(finished, Cancelled: true);
            var loadAfter = MachineLoad.Read(Environment.ProcessId, includeReapedChildren: false);
            var (busy, _, others) = loadBefore is { } before && loadAfter is { } after ? MachineLoad.Between(before, after) : (double.NaN, double.NaN, double.NaN);
            var testLoss = trainer.TestLoss(epoch);
            int hostThreads = backend is HostBackend host ? host.Threads : 0;
            var result = new EpochResult(epoch, loss.Value.Loss, loss.Value.Kl, testLoss.Loss, testLoss.Kl, seconds, trainer.TrainCount / seconds, busy, hostThreads)
            {
                OtherProcessesBusy = others,
            };
            State.History.Add(result);
            finished.Add(result);
            epochCompleted?.Invoke(result);
            progress?.Report(result);
        }
        return new FitResult(finished, Cancelled: false);
    }

    /// <summary>
    /// One training step on these images (1 to Options.BatchSize of them), with the KL weight Options.Beta: gradients
    /// by the options' objective and estimator, and one optimiser update. Queued on the backend; nothing is read back.
    /// </summary>
    public void Step(ReadOnlySpan<float> images)
    {
        int rows = Rows(images, Config.Inputs, nameof(images));
        if (rows > Options.BatchSize) throw new ArgumentException($"{rows} images are more than the batch size, {Options.BatchSize}.", nameof(images));
        if (stepImages is null || stepOrder is null)
        {
            stepImages = backend.Allocate(Options.BatchSize, Config.Inputs);
            stepOrder = backend.AllocateIndices(Options.BatchSize);
            backend.Upload(Enumerable.Range(0, Options.BatchSize).ToArray(), stepOrder);
        }
        backend.Upload(images, stepImages.FirstRows(rows));
        step ??= new TrainingStep(backend, Model, Optimizer, Options.Estimator);
        ulong? binarization = Options.Binarize == Binarization.Dynamic ? RandomStreams.StepBinarization(State.GlobalStep) : null;
        step.Run(Model.Buffers(rows), stepImages, stepOrder, 0, Options.Seed, RandomStreams.TrainStep(State.GlobalStep), Options.Beta, binarization);
        State.GlobalStep++;
    }

    /// <summary>
    /// The parameters of q(z|x), per image (Config.HeadWidth values): the Config.Latent means, then the log-variances
    /// (Gaussian); the shapes, then the rates (Gamma); the concentrations (Dirichlet).
    /// </summary>
    public float[] Encode(float[] images)
    {
        Rows(images, Config.Inputs, nameof(images));
        return Inference().PosteriorParameters(images);
    }

    /// <summary>The decoder's mean image for each latent code: Bernoulli means (sigmoid of the logits) or Gaussian means.</summary>
    public float[] Decode(float[] latents)
    {
        Rows(latents, Config.Latent, nameof(latents));
        return Inference().Decode(latents);
    }

    /// <summary>Each image decoded from its posterior mean.</summary>
    public float[] Reconstruct(float[] images)
    {
        Rows(images, Config.Inputs, nameof(images));
        return Inference().Reconstruct(images);
    }

    /// <summary>Decoded draws of z from the prior (N(0, I), Gamma(1, 1), Dirichlet(1, ..., 1)): the images `vaegpu sample --seed` draws.</summary>
    public float[] Sample(int count, ulong seed = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return Inference().SamplePrior(count, seed, RandomStreams.PriorSamples(0));
    }

    /// <summary>Per image, the ELBO in nats with one sampled z and the KL in closed form (the -ELBO `vaegpu eval` averages).</summary>
    public double[] Elbo(float[] images, ulong seed = 1) => Score(images, 1, seed, Sampler.Mc).NegativeElbo.Select(loss => -loss).ToArray();

    /// <summary>
    /// Per image, the importance-weighted lower bound on log p(x) in nats with <paramref name="draws"/> draws of z
    /// (Burda et al. 2016): the scores whose mean `vaegpu eval --iw` prints, for the same seed and batch size.
    /// </summary>
    public double[] LogLikelihood(float[] images, int draws, ulong seed = 1, Sampler sampler = Sampler.Mc) => Score(images, draws, seed, sampler).LogLikelihood;

    ImageScores Score(float[] images, int draws, ulong seed, Sampler sampler)
    {
        Rows(images, Config.Inputs, nameof(images));
        ArgumentOutOfRangeException.ThrowIfLessThan(draws, 1);
        DrawSamplers.Require(sampler, Objective.Iwae(draws), [GradientEstimator.Pathwise]);
        PosteriorChoice.Require(Config.Posterior, Objective.Elbo, GradientEstimator.Pathwise, sampler);
        return new Evaluator(backend, InferenceModel()).Score(images, draws, seed, 0, sampler: sampler);
    }

    VaeInference Inference() => new(backend, InferenceModel());

    /// <summary>A one-draw-per-image model holding a copy of the current parameters.</summary>
    VaeModel InferenceModel()
    {
        inferenceModel ??= new VaeModel(backend, Config, Options.BatchSize);
        backend.Copy(Model.Parameters, inferenceModel.Parameters);
        return inferenceModel;
    }

    static int Rows(ReadOnlySpan<float> values, int columns, string parameter)
    {
        if (values.Length == 0 || values.Length % columns != 0)
            throw new ArgumentException($"{values.Length} values are not a whole, non-zero number of rows of {columns}.", parameter);
        return values.Length / columns;
    }

    void RequireImages(ImageSet images, string parameter)
    {
        ArgumentNullException.ThrowIfNull(images, parameter);
        if (images.Count < 1) throw new ArgumentException("no images.", parameter);
        if (images.PixelsPerImage != Config.Inputs)
            throw new ArgumentException($"images of {images.PixelsPerImage} pixels for a model of {Config.Inputs} inputs.", parameter);
    }
}
