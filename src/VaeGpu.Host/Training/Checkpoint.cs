using VaeGpu.Host.Names;
using System.Globalization;
using VaeGpu.Kernels;
using VaeGpu.Host.SafeTensors;
using VaeGpu.Host.Model;
using VaeGpu.Host.Data;
using VaeGpu.Runtime;

namespace VaeGpu.Host.Training;

/// <summary>
/// checkpoint.safetensors: everything --resume needs to continue with the numbers of an uninterrupted run. Tensors:
/// the flat parameters, the optimiser's state (Adam's two moments; none for SGD) and the running loss sums of the epoch in progress; metadata: the model's
/// configuration, the training options, the counters and the metrics of finished epochs.
/// </summary>
public static class Checkpoint
{
    public static void Save(string path, VaeModel model, IOptimizer optimizer, IBackend backend, TrainingOptions options, TrainingState state)
    {
        var metadata = model.Config.ToMetadata();
        string I(long value) => value.ToString(CultureInfo.InvariantCulture);
        metadata["epochs"] = I(options.Epochs);
        metadata["batch"] = I(options.BatchSize);
        metadata["lr"] = options.LearningRate.ToString("R", CultureInfo.InvariantCulture);
        metadata["optimizer"] = TrainingVocabulary.Optimizers.Name(options.Optimizer);
        metadata["seed"] = options.Seed.ToString(CultureInfo.InvariantCulture);
        metadata["beta"] = options.Beta.ToString("R", CultureInfo.InvariantCulture);
        metadata["kl_warmup"] = I(options.KlWarmupEpochs);
        metadata["estimator"] = Vocabulary.Estimators.Name(options.Estimator);
        metadata["track_variance"] = I(options.TrackVarianceEvery);
        metadata["binarize"] = TrainingVocabulary.Binarizations.Name(options.Binarize);
        metadata["objective"] = options.Objective.Name;
        metadata["k"] = I(options.Objective.Samples);
        // The bounds beyond IWAE name their parameters; a checkpoint of another objective has none of these keys.
        if (options.Objective.Groups != 1) metadata["groups"] = I(options.Objective.Groups);
        if (options.Objective.ElboWeight != 0) metadata["elbo_weight"] = options.Objective.ElboWeight.ToString("R", CultureInfo.InvariantCulture);
        if (options.Objective.Alpha != 0) metadata["alpha"] = options.Objective.Alpha.ToString("R", CultureInfo.InvariantCulture);
        metadata["sampler"] = Vocabulary.Samplers.Name(options.Sampler);
        metadata["epochs_completed"] = I(state.EpochsCompleted);
        metadata["step_in_epoch"] = I(state.StepInEpoch);
        metadata["global_step"] = I(state.GlobalStep);
        metadata["optimizer_step"] = I(optimizer.Steps);
        metadata["history"] = string.Join(';', state.History.Select(row => row.ToCsv()));
        if (state.DataSha256 is not null) metadata["data_sha256"] = state.DataSha256;
        // Bits depend on the device and, on the host path, on BLAS's thread count: a resume elsewhere is told so.
        metadata["device"] = backend.Name;
        SafeTensorsFile.Write(path,
        [
            new NamedTensor("parameters", [model.Parameters.Length], backend.Download(model.Parameters)),
            .. optimizer.State.Select(state => new NamedTensor(state.Name, [state.Values.Length], backend.Download(state.Values))),
            new NamedTensor("running_sums", [model.RunningSums.Rows, 2], backend.Download(model.RunningSums)),
        ], metadata);
    }

    /// <summary>
    /// The warning for a run resumed on other arithmetic than it was saved with (null when it is the same): the numbers
    /// from there on may differ in the last bits from an uninterrupted run's.
    /// </summary>
    public static string? ArithmeticChange(string path, IBackend backend)
    {
        var metadata = SafeTensorsFile.Read(path).Metadata;
        return metadata.TryGetValue("device", out var saved) && saved != backend.Name
            ? $"warning: this run was saved on {saved} and resumes on {backend.Name}: from here on its numbers may differ in the last bits from an uninterrupted run's (see docs/reproducibility.md)."
            : null;
    }

    /// <summary>The run's model, optimiser, options and state, with the tensors loaded into a new model and optimiser on the backend.</summary>
    public static (VaeModel Model, IOptimizer Optimizer, TrainingOptions Options, TrainingState State) Load(string path, IBackend backend)
    {
        var content = SafeTensorsFile.Read(path);
        var config = VaeConfig.FromMetadata(content.Metadata, path);
        string Get(string key) => content.Metadata.TryGetValue(key, out var value)
            ? value
            : throw new UserErrorException($"{path}: not a vaegpu checkpoint (its metadata lacks '{key}').");
        T Named<T>(NameTable<T> table, string key, string value) where T : struct => table.TryParse(value, out T named)
            ? named
            : throw new UserErrorException($"{path}: metadata '{key}' is '{value}', expected {table.Choices}.");
        try
        {
            var options = new TrainingOptions(
                int.Parse(Get("epochs"), CultureInfo.InvariantCulture), int.Parse(Get("batch"), CultureInfo.InvariantCulture),
                float.Parse(Get("lr"), CultureInfo.InvariantCulture), Named(TrainingVocabulary.Optimizers, "optimizer", Get("optimizer")),
                ulong.Parse(Get("seed"), CultureInfo.InvariantCulture), float.Parse(Get("beta"), CultureInfo.InvariantCulture),
                int.Parse(Get("kl_warmup"), CultureInfo.InvariantCulture))
            {
                // Checkpoints from before the estimator lab lack these two: they trained path-wise, untracked.
                Estimator = Named(Vocabulary.Estimators, "estimator", content.Metadata.GetValueOrDefault("estimator", "pathwise")),
                TrackVarianceEvery = int.Parse(content.Metadata.GetValueOrDefault("track_variance", "0"), CultureInfo.InvariantCulture),
                // Checkpoints from before --binarize trained on grey levels.
                Binarize = Named(TrainingVocabulary.Binarizations, "binarize", content.Metadata.GetValueOrDefault("binarize", "none")),
                // Checkpoints from before --objective trained the ELBO.
                Objective = new Objective(Named(ModelVocabulary.Objectives, "objective", content.Metadata.GetValueOrDefault("objective", "elbo")), int.Parse(content.Metadata.GetValueOrDefault("k", "1"), CultureInfo.InvariantCulture))
                {
                    Groups = int.Parse(content.Metadata.GetValueOrDefault("groups", "1"), CultureInfo.InvariantCulture),
                    ElboWeight = float.Parse(content.Metadata.GetValueOrDefault("elbo_weight", "0"), CultureInfo.InvariantCulture),
                    Alpha = float.Parse(content.Metadata.GetValueOrDefault("alpha", "0"), CultureInfo.InvariantCulture),
                },
                Sampler = Named(Vocabulary.Samplers, "sampler", content.Metadata.GetValueOrDefault("sampler", "mc")),
            }.Validated();
            var state = new TrainingState
            {
                EpochsCompleted = int.Parse(Get("epochs_completed"), CultureInfo.InvariantCulture),
                StepInEpoch = int.Parse(Get("step_in_epoch"), CultureInfo.InvariantCulture),
                GlobalStep = long.Parse(Get("global_step"), CultureInfo.InvariantCulture),
                // Checkpoints from before data digests do not know their data: --resume says it cannot check it.
                DataSha256 = content.Metadata.TryGetValue("data_sha256", out var digest)
                    ? IsSha256(digest) ? digest : throw new UserErrorException($"{path}: metadata 'data_sha256' is not a SHA-256 (64 hex digits); the file is damaged: retrain, or restore it.")
                    : null,
            };
            int optimizerSteps = int.Parse(Get("optimizer_step"), CultureInfo.InvariantCulture);
            state.History.AddRange(Get("history").Split(';', StringSplitOptions.RemoveEmptyEntries).Select(EpochResult.FromCsv));
            CheckCounters(path, state, optimizerSteps);

            // The file's tensors must fit the stated model and batch before the model is allocated from those numbers.
            long parameterCount = config.ParameterCount;
            // SGD keeps no state; checkpoints from before optimisers owned their state also hold zero Adam moments for SGD, which are ignored.
            string[] optimizerState = options.Optimizer == OptimizerKind.Adam ? ["adam.first_moments", "adam.second_moments"] : [];
            foreach (var (name, length) in new[] { ("parameters", parameterCount), ("running_sums", 2L * options.BatchSize) }.Concat(optimizerState.Select(name => (name, parameterCount))))
                if (content.Get(name).Values.Length != length)
                    throw new UserErrorException($"{path}: tensor '{name}' has {content.Get(name).Values.Length} values where the model at batch {options.BatchSize} needs {length}.");
            var model = new VaeModel(backend, config, options.BatchSize, options.Objective, options.Sampler);
            var optimizer = options.CreateOptimizer(backend, model.Layout.Count);
            optimizer.Steps = optimizerSteps;
            Load(content, "parameters", model.Parameters, backend);
            foreach (var (name, values) in optimizer.State) Load(content, name, values, backend);
            Load(content, "running_sums", model.RunningSums, backend);
            return (model, optimizer, options, state);
        }
        catch (Exception error) when (error is FormatException or OverflowException or IndexOutOfRangeException)
        {
            throw new UserErrorException($"{path}: the checkpoint's metadata is malformed ({error.Message}).");
        }
    }

    /// <summary>
    /// The counters must describe a run that could have happened: none negative, one history row per finished epoch
    /// (epochs 1, 2, ... in order). Whether the step lies inside an epoch depends on the data: see CheckStepInEpoch.
    /// </summary>
    static void CheckCounters(string path, TrainingState state, int optimizerSteps)
    {
        void Require(bool holds, string what)
        {
            if (!holds) throw new UserErrorException($"{path}: the checkpoint's counters are impossible ({what}); the file is damaged: retrain, or restore it.");
        }
        Require(state.EpochsCompleted >= 0, $"epochs_completed = {state.EpochsCompleted}");
        Require(state.StepInEpoch >= 0, $"step_in_epoch = {state.StepInEpoch}");
        Require(state.GlobalStep >= 0, $"global_step = {state.GlobalStep}");
        Require(optimizerSteps >= 0, $"optimizer_step = {optimizerSteps}");
        Require(state.History.Count == state.EpochsCompleted, $"{state.History.Count} history rows for {state.EpochsCompleted} finished epochs");
        Require(state.History.Select((row, i) => row.Epoch == i + 1).All(inOrder => inOrder), "history rows out of order");
    }

    /// <summary>Refuses a checkpoint whose step in the epoch lies beyond the epoch's steps for the data it resumes on.</summary>
    public static void CheckStepInEpoch(string path, TrainingState state, int stepsPerEpoch)
    {
        if (state.StepInEpoch >= stepsPerEpoch)
            throw new UserErrorException($"{path}: step_in_epoch = {state.StepInEpoch}, but an epoch on this data has {stepsPerEpoch} steps: resume with the run's own data.");
    }

    static bool IsSha256(string text) => text.Length == 64 && text.All(char.IsAsciiHexDigitLower);

    /// <summary>
    /// Refuses to resume on other data than the run's (compared by DataDigest, so the same files under any spelling of
    /// their path pass); a checkpoint without a digest is resumed with a warning and records the data from now on.
    /// </summary>
    /// <returns>The warning for a checkpoint that cannot be checked (null when it was checked), for the caller to show.</returns>
    public static string? CheckData(string path, TrainingState state, string dataSha256, string data)
    {
        string? warning = null;
        if (state.DataSha256 is null)
            warning = $"warning: {path} was written before checkpoints recorded their data, so the data {data} cannot be checked against the run's; it is recorded from now on.";
        else if (state.DataSha256 != dataSha256)
            throw new InvalidSettingException(nameof(data), data, $"it is not the data the run in {System.IO.Path.GetDirectoryName(path)} was trained on (its images' SHA-256 is {DataDigest.Short(dataSha256)}..., the run's {DataDigest.Short(state.DataSha256)}...): resume with the run's own images.");
        state.DataSha256 = dataSha256;
        return warning;
    }

    static void Load(SafeTensorsContent content, string name, Tensor destination, IBackend backend)
    {
        var tensor = content.Get(name);
        if (tensor.Values.Length != destination.Length)
            throw new UserErrorException($"{content.Path}: tensor '{name}' has {tensor.Values.Length} values where the model needs {destination.Length}.");
        backend.Upload(tensor.Values, destination);
    }
}
