using VaeGpu.Host.Names;
using System.CommandLine;
using VaeGpu.Kernels;
using VaeGpu.Host;
using VaeGpu.Host.Data;
using VaeGpu.Host.Evaluation;
using VaeGpu.Host.Model;
using VaeGpu.Host.Training;
using VaeGpu.Runtime;
using VaeGpu.Host.Files;

namespace VaeGpu.Cli.Commands;

/// <summary>`vaegpu train`: trains a VAE, writing metrics, model, checkpoint and pictures into the run folder each epoch.</summary>
static class TrainCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var testFraction = CommonOptions.TestFraction();
        var epochs = new Option<int>("--epochs") { Description = "epochs to train (with --resume: the total to reach)", DefaultValueFactory = _ => 10 };
        var batch = new Option<int>("--batch") { Description = "images per step", DefaultValueFactory = _ => 128 };
        var hidden = new Option<string>("--hidden") { Description = "hidden layer widths, e.g. 400 or 512,256", DefaultValueFactory = _ => "400" };
        var latent = new Option<int>("--latent") { Description = "size of z", DefaultValueFactory = _ => 20 };
        var likelihood = new Option<string>("--likelihood") { Description = "decoder p(x|z): bernoulli or gaussian", DefaultValueFactory = _ => "bernoulli" };
        likelihood.AcceptOnlyFromAmong(ModelVocabulary.Likelihoods.Names);
        var posterior = new Option<string>("--posterior") { Description = "encoder q(z|x) and prior: gaussian, gamma or dirichlet (implicit reparameterisation gradients)", DefaultValueFactory = _ => "gaussian" };
        posterior.AcceptOnlyFromAmong(ModelVocabulary.Posteriors.Names);
        var activation = new Option<string>("--activation") { Description = "the hidden layers' activation: relu, or tanh (Burda et al.'s IWAE architecture)", DefaultValueFactory = _ => "relu" };
        activation.AcceptOnlyFromAmong(ModelVocabulary.Activations.Names);
        var sigmaX = new Option<float>("--sigma-x") { Description = "standard deviation of the gaussian decoder", DefaultValueFactory = _ => 0.1f };
        var learningRate = new Option<float>("--lr") { Description = "learning rate", DefaultValueFactory = _ => 1e-3f };
        var optimizer = new Option<string>("--optimizer") { Description = "adam or sgd", DefaultValueFactory = _ => "adam" };
        optimizer.AcceptOnlyFromAmong(TrainingVocabulary.Optimizers.Names);
        var beta = new Option<float>("--beta") { Description = "weight of the KL term", DefaultValueFactory = _ => 1f };
        var klWarmup = new Option<int>("--kl-warmup") { Description = "epochs over which the KL weight ramps from 0 to --beta", DefaultValueFactory = _ => 0 };
        var estimator = new Option<string>("--estimator") { Description = "how the encoder's gradient is estimated (the decoder's is path-wise)", DefaultValueFactory = _ => "pathwise" };
        estimator.AcceptOnlyFromAmong(Vocabulary.Estimators.NamesOf(EstimatorChoice.Encoder));
        var objective = new Option<string>("--objective")
        {
            Description = "elbo; iwae, the importance-weighted bound with --k draws per image (Burda et al. 2016); miwae and piwae (--groups), ciwae (--elbo-weight) " +
                "(Rainforth et al. 2018); renyi (--alpha, Li and Turner 2016); rws, reweighted wake-sleep (Bornschein and Bengio 2015)",
            DefaultValueFactory = _ => "elbo",
        };
        objective.AcceptOnlyFromAmong(ModelVocabulary.Objectives.Names);
        var samples = new Option<int?>("--k") { Description = "draws per image for the multi-draw objectives (default 5)" };
        var groups = new Option<int>("--groups") { Description = "miwae and piwae: the draws per image split into this many groups (MIWAE(8, 8) is --k 64 --groups 8)", DefaultValueFactory = _ => 1 };
        var elboWeight = new Option<float>("--elbo-weight") { Description = "ciwae: the weight beta of the ELBO in beta ELBO + (1 - beta) IWAE", DefaultValueFactory = _ => 0f };
        var alpha = new Option<float>("--alpha") { Description = "renyi: alpha in [0, 1) (0: IWAE, towards 1: the ELBO)", DefaultValueFactory = _ => 0f };
        var sampler = new Option<string>("--sampler") { Description = CommonOptions.SamplerDescription, DefaultValueFactory = _ => "mc" };
        sampler.AcceptOnlyFromAmong(Vocabulary.Samplers.Names);
        var binarize = new Option<string>("--binarize") { Description = "none (grey levels as targets), dynamic (Bernoulli pixels redrawn every step) or static (drawn once); the test set is drawn once", DefaultValueFactory = _ => "none" };
        binarize.AcceptOnlyFromAmong(TrainingVocabulary.Binarizations.Names);
        var trackVariance = new Option<int>("--track-variance") { Description = "every E epochs, write the encoder-gradient variance table (variance-epoch-E.csv/png); 0: never", DefaultValueFactory = _ => 0 };
        var seed = CommonOptions.Seed();
        var device = CommonOptions.Device();
        var gemm = CommonOptions.Gemm();
        var output = new Option<string>("--out") { Description = "run folder for metrics.csv, model.safetensors, checkpoint and PNGs", DefaultValueFactory = _ => "runs/vae" };
        var resume = new Option<bool>("--resume") { Description = "continue the run in --out from its checkpoint (its own settings are used)" };

        var command = new Command("train", "Train a VAE (default: 784-400-20, Bernoulli, Adam 1e-3, batch 128, on Fashion-MNIST).")
        {
            data, testFraction, epochs, batch, hidden, latent, activation, likelihood, posterior, sigmaX, learningRate, optimizer, beta, klWarmup, objective, samples, groups, elboWeight, alpha, sampler, estimator, binarize, trackVariance, seed, device, gemm, output, resume,
        };
        command.SetAction(parsed =>
        {
            // From here on SIGINT, SIGTERM and SIGHUP stop the run after its step, with a checkpoint (or before its first step).
            using var stop = StopSignals.Defer();
            var folder = new RunFolder(parsed.GetValue(output)!);
            if (parsed.GetValue(resume))
                return Resume(folder, parsed.GetValue(data)!, parsed.GetValue(testFraction), parsed.GetValue(device)!, parsed.GetValue(gemm)!, parsed.GetResult(epochs) is { Implicit: false } ? parsed.GetValue(epochs) : null, stop.Token);
            var config = new VaeConfig(0, ParseHidden(parsed.GetValue(hidden)!), parsed.GetValue(latent), ModelVocabulary.Likelihoods.Parse(parsed.GetValue(likelihood)!), parsed.GetValue(sigmaX),
                ModelVocabulary.Posteriors.Parse(parsed.GetValue(posterior)!), ModelVocabulary.Activations.Parse(parsed.GetValue(activation)!));
            var objectiveKind = ModelVocabulary.Objectives.Parse(parsed.GetValue(objective)!);
            var options = new TrainingOptions(parsed.GetValue(epochs), parsed.GetValue(batch), parsed.GetValue(learningRate), TrainingVocabulary.Optimizers.Parse(parsed.GetValue(optimizer)!),
                parsed.GetValue(seed), parsed.GetValue(beta), parsed.GetValue(klWarmup))
            {
                Estimator = parsed.GetResult(estimator) is { Implicit: true } && objectiveKind == ObjectiveKind.Rws
                    ? GradientEstimator.WakePhi // reweighted wake-sleep has its own encoder update
                    : Vocabulary.Estimators.Parse(parsed.GetValue(estimator)!),
                TrackVarianceEvery = parsed.GetValue(trackVariance),
                Binarize = TrainingVocabulary.Binarizations.Parse(parsed.GetValue(binarize)!),
                Objective = new Objective(objectiveKind, parsed.GetValue(samples) ?? (objectiveKind == ObjectiveKind.Elbo ? 1 : DefaultSamples))
                {
                    Groups = parsed.GetValue(groups), ElboWeight = parsed.GetValue(elboWeight), Alpha = parsed.GetValue(alpha),
                },
                Sampler = Vocabulary.Samplers.Parse(parsed.GetValue(sampler)!),
            }.Validated();
            if (options.Binarize != Binarization.None && config.Likelihood != Likelihood.Bernoulli)
                throw new UserErrorException($"--binarize {parsed.GetValue(binarize)} with --likelihood gaussian: binary pixels call for the Bernoulli decoder; drop one of them.");
            (config with { Inputs = 1 }).Validated();
            PosteriorChoice.Require(config.Posterior, options.Objective, options.Estimator, options.Sampler);
            DrawSamplers.RequireDimensions(options.Sampler, config.Latent);
            return Start(folder, config, options, parsed.GetValue(data)!, parsed.GetValue(testFraction), parsed.GetValue(device)!, parsed.GetValue(gemm)!, stop.Token);
        });
        return command;
    }

    /// <summary>Burda et al.'s smaller K, a common choice.</summary>
    const int DefaultSamples = 5;

    /// <summary>Samples per estimator in the tracked variance table: enough for a stable mean over thousands of elements.</summary>
    const int TrackedVarianceSamples = 50;

    /// <summary>The variance table of every estimator on the first test batch, after this epoch, into the run folder.</summary>
    static void TrackVariance(RunFolder folder, IBackend backend, VaeModel model, ImageSet test, TrainingOptions options, int epoch)
    {
        var rows = new EncoderGradientVariance(backend, model).Measure(test.Pixels(0, Math.Min(options.BatchSize, test.Count)),
            TrackedVarianceSamples, options.Seed, model.Objective.Estimators);
        GradientVarianceReport.Write(folder.Path, $"variance-epoch-{epoch}", rows);
    }

    static int[] ParseHidden(string text) => VaeConfig.TryParseHidden(text, out var widths)
        ? widths
        : throw new UserErrorException($"--hidden {text}: give layer widths from 1 to {VaeConfig.MaxWidth} separated by commas, e.g. 400 or 512,256.");

    static int Start(RunFolder folder, VaeConfig config, TrainingOptions options, string data, double? testFraction, string device, string gemm, CancellationToken stop)
    {
        RequireNewRunFolder(folder, lockTaken: false);
        ResultFolder.Create(folder.Path);
        using var runLock = RunLock.Take(folder.Path);
        // Checked again under the lock: a run that started a moment earlier may have saved its first checkpoint.
        RequireNewRunFolder(folder, lockTaken: true);
        var dataset = ImageDataset.Load(data, testFraction);
        config = (config with { Inputs = dataset.Train.PixelsPerImage }).Validated();
        dataset.RequireValues(config.Likelihood == Likelihood.Bernoulli, ModelVocabulary.Likelihoods.Name(config.Likelihood));
        string dataSha256 = DataDigest.Of(options.Binarize.ToString(), dataset.Train, dataset.Test);
        using var backend = CommonOptions.OpenDevice(device, gemm);
        var vae = Vae.Create(backend, config, options);
        vae.State.DataSha256 = dataSha256;
        return Train(folder, backend, vae, dataset, stop);
    }

    /// <summary>
    /// A new run goes into a new or empty folder: a run's files (samples.png, metrics.csv, ...) would replace the user's
    /// own of the same names. Only a run lock's files, left by a run killed before its first checkpoint, may be there;
    /// under the lock, the lock's own files.
    /// </summary>
    static void RequireNewRunFolder(RunFolder folder, bool lockTaken)
    {
        if (File.Exists(folder.Checkpoint))
            throw new UserErrorException($"{folder.Path} already holds a run: add --resume to continue it, or choose another --out.");
        if (!Directory.Exists(folder.Path)) return;
        var entries = Directory.EnumerateFileSystemEntries(folder.Path).Select(entry => Path.GetFileName(entry)).ToList();
        bool lockLeftOver = entries.Contains(RunLock.LockFile);
        var others = entries.Where(name => !RunLock.Files.Contains(name)).Order(StringComparer.Ordinal).ToList();
        // Before the lock, a folder with a lock file may be a run starting right now: taking the lock tells.
        if (others.Count > 0 && (lockTaken || !lockLeftOver))
            throw new UserErrorException($"--out {folder.Path} holds other files ({string.Join(", ", others.Take(3))}{(others.Count > 3 ? ", ..." : "")}) and no run: " +
                "choose a new or empty folder, so that none of them is replaced.");
    }

    static int Resume(RunFolder folder, string data, double? testFraction, string device, string gemm, int? epochs, CancellationToken stop)
    {
        if (!File.Exists(folder.Checkpoint))
            throw new UserErrorException($"{folder.Path} has no checkpoint.safetensors to resume: start the run without --resume.");
        using var runLock = RunLock.Take(folder.Path);
        var dataset = ImageDataset.Load(data, testFraction);
        using var backend = CommonOptions.OpenDevice(device, gemm);
        var vae = Vae.LoadCheckpoint(backend, folder.Checkpoint);
        var (config, options, state) = (vae.Config, vae.Options, vae.State);
        dataset.RequireValues(config.Likelihood == Likelihood.Bernoulli, ModelVocabulary.Likelihoods.Name(config.Likelihood));
        if (Checkpoint.CheckData(folder.Checkpoint, state, DataDigest.Of(options.Binarize.ToString(), dataset.Train, dataset.Test), data) is { } dataWarning)
            Console.Error.WriteLine(dataWarning);
        if (Checkpoint.ArithmeticChange(folder.Checkpoint, backend) is { } warning) Console.Error.WriteLine(warning);
        if (config.Inputs != dataset.Train.PixelsPerImage)
            throw new UserErrorException($"the run in {folder.Path} has {config.Inputs} inputs but the images of --data {data} have {dataset.Train.PixelsPerImage} pixels.");
        Checkpoint.CheckStepInEpoch(folder.Checkpoint, state, (dataset.Train.Count + options.BatchSize - 1) / options.BatchSize);
        if (epochs is not null) vae.SetTargetEpochs(epochs.Value);
        if (state.EpochsCompleted >= vae.Options.Epochs)
        {
            Console.Error.WriteLine($"{folder.Path} is already trained for {state.EpochsCompleted} epochs; to train further, resume with --epochs N (N > {state.EpochsCompleted}).");
            return 0;
        }
        Console.Error.WriteLine($"resuming {folder.Path} after epoch {state.EpochsCompleted}, step {state.StepInEpoch}, with the run's own settings");
        return Train(folder, backend, vae, dataset, stop);
    }

    static int Train(RunFolder folder, IBackend backend, Vae vae, ImageDataset dataset, CancellationToken stop)
    {
        var (config, options, state, model) = (vae.Config, vae.Options, vae.State, vae.Model);
        Console.Error.WriteLine(
            $"model {config.Inputs}-{config.HiddenText}-{config.Latent} {ModelVocabulary.Likelihoods.Name(config.Likelihood)}{(config.Activation == Activation.Relu ? "" : $", {ModelVocabulary.Activations.Name(config.Activation)} hidden layers")}{(config.Posterior == Posterior.Gaussian ? "" : $", {ModelVocabulary.Posteriors.Name(config.Posterior)} posterior")}, {TrainingVocabulary.Optimizers.Name(options.Optimizer)} lr {options.LearningRate}, " +
            $"batch {options.BatchSize}, seed {options.Seed}, objective {options.Objective}{(options.Sampler == Sampler.Mc ? "" : $", {Vocabulary.Samplers.Name(options.Sampler)} draws")}, encoder gradient {Vocabulary.Estimators.Name(options.Estimator)}, binarize {TrainingVocabulary.Binarizations.Name(options.Binarize)}; {dataset.Train.Count} train and {dataset.Test.Count} test images; run folder {folder.Path}");
        var test = TrainingImages.Test(dataset.Test, options);
        if (RunFolder.SkippedPictures(test, config) is { } note) Console.Error.WriteLine(note);
        var inference = new VaeInference(backend, model);
        ProgressLine? progress = null;
        void ShowStep(int step, int steps, double loss) =>
            (progress ??= new ProgressLine($"epoch {state.EpochsCompleted + 1}/{options.Epochs}", steps)).Update(step, $"loss {loss:F2}");
        void EpochCompleted(EpochResult result)
        {
            progress?.Clear();
            progress = null;
            folder.WriteMetrics(state.History);
            ModelFile.Save(folder.Model, model, backend);
            vae.SaveCheckpoint(folder.Checkpoint);
            folder.WritePictures(inference, test, config, state.History, options.Seed);
            if (options.TrackVarianceEvery > 0 && result.Epoch % options.TrackVarianceEvery == 0)
                TrackVariance(folder, backend, model, test, options, result.Epoch);
            Console.WriteLine($"epoch {result.Epoch,3}: train {result.TrainLoss:F2}  test {result.TestLoss:F2} nats/image (KL {result.TestKl:F2})  " +
                $"{result.Seconds:F2} s, {result.SamplesPerSecond:F0} images/s; machine {result.MachineBusy:P0} busy, {result.OtherProcessesBusy:P0} by other processes");
        }

        try
        {
            var fit = vae.Fit(dataset.Train, dataset.Test, options.Epochs - state.EpochsCompleted, cancellation: stop, epochCompleted: EpochCompleted, stepProgress: ShowStep);
            if (fit.Cancelled)
            {
                progress?.Clear();
                vae.SaveCheckpoint(folder.Checkpoint);
                Console.Error.WriteLine($"interrupted by {StopSignals.Name} in epoch {state.EpochsCompleted + 1} after step {state.StepInEpoch}: checkpoint saved; continue with `vaegpu train --out {folder.Path} --resume`");
                return StopSignals.ExitCode;
            }
        }
        catch (TrainingDivergedException diverged)
        {
            string remedy = config.Likelihood == Likelihood.Gaussian ? "a lower --lr or a larger --sigma-x" : "a lower --lr";
            throw new UserErrorException(File.Exists(folder.Checkpoint)
                ? $"{diverged.Message}; the last checkpoint in {folder.Path} (before the divergence) is kept; start a new run (another --out) with {remedy}."
                : $"{diverged.Message}; no checkpoint had been saved yet; start again with {remedy}.");
        }
        Console.Error.WriteLine($"done: {folder.Metrics}, {folder.Model} and the PNGs are in {folder.Path}");
        return 0;
    }
}
