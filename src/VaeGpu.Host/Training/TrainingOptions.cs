using VaeGpu.Host.Model;
using VaeGpu.Kernels;
using VaeGpu.Runtime;

namespace VaeGpu.Host.Training;

/// <summary>
/// How grey-level pixels become the binary data a Bernoulli likelihood is a true likelihood of: not at all (None, the
/// pixel intensities are the targets), redrawn every step (Dynamic: each batch's pixels are Bernoulli draws with the
/// grey level as mean) or drawn once for the run (Static, as Burda et al. 2016). The test set is drawn once in both.
/// </summary>
public enum Binarization { None, Dynamic, Static }

/// <summary>How to train: everything besides the model's shape that decides the numbers a run produces.</summary>
public sealed record TrainingOptions(int Epochs, int BatchSize, float LearningRate, OptimizerKind Optimizer, ulong Seed, float Beta, int KlWarmupEpochs)
{
    /// <summary>The `train` defaults: 10 epochs, batch 128, Adam with learning rate 1e-3, seed 1, beta 1, no warm-up.</summary>
    public static TrainingOptions Default => new(10, CanonicalVae.Batch, 1e-3f, OptimizerKind.Adam, 1, 1f, 0);

    /// <summary>Steps between reads of the running loss: the only host synchronisation while training.</summary>
    public const int StepsBetweenLossReads = 200;

    /// <summary>How the encoder's gradient is estimated (the decoder's is always path-wise).</summary>
    public GradientEstimator Estimator { get; init; } = GradientEstimator.Pathwise;

    /// <summary>Record the encoder-gradient variance table every this many epochs (0: never).</summary>
    public int TrackVarianceEvery { get; init; }

    public Binarization Binarize { get; init; } = Binarization.None;

    /// <summary>The bound trained: the ELBO or the importance-weighted bound with K draws per image.</summary>
    public Objective Objective { get; init; } = Objective.Elbo;

    /// <summary>How the draws of z are made (DrawSamplers): mc, or one of the coupled samplers under the importance-weighted objective.</summary>
    public Sampler Sampler { get; init; } = Sampler.Mc;

    /// <summary>Refuses a setting out of range, or settings that do not go together, with an InvalidSettingException naming them.</summary>
    public TrainingOptions Validated()
    {
        if (Epochs < 1) throw new InvalidSettingException(nameof(Epochs), Epochs, "train for at least 1 epoch.");
        if (BatchSize < 1) throw new InvalidSettingException(nameof(BatchSize), BatchSize, "the batch size must be at least 1.");
        if (!(LearningRate > 0) || float.IsInfinity(LearningRate)) throw new InvalidSettingException(nameof(LearningRate), LearningRate, "the learning rate must be a positive number.");
        if (!(Beta >= 0) || float.IsInfinity(Beta)) throw new InvalidSettingException(nameof(Beta), Beta, "the KL weight must be a number >= 0.");
        if (KlWarmupEpochs < 0) throw new InvalidSettingException(nameof(KlWarmupEpochs), KlWarmupEpochs, "the warm-up must be 0 or more epochs.");
        if (TrackVarianceEvery < 0) throw new InvalidSettingException(nameof(TrackVarianceEvery), TrackVarianceEvery, "give a number of epochs, or 0 for never.");
        Objective.Validated();
        EstimatorChoice.RequireFor(Objective, Estimator);
        if (Estimator == GradientEstimator.Vimco && Objective.Samples < 2)
            throw new InvalidSettingException([new(nameof(Estimator), "vimco"), new(nameof(Objective.Samples), InvalidSettingException.Text(Objective.Samples))],
                "VIMCO's leave-one-out baselines need at least 2 draws per image; use {Samples} >= 2.");
        DrawSamplers.Require(Sampler, Objective, [Estimator]);
        if (Objective.ImportanceWeighted && (Beta != 1 || KlWarmupEpochs != 0))
            throw new InvalidSettingException([new(nameof(Beta), InvalidSettingException.Text(Beta)), new(nameof(KlWarmupEpochs), InvalidSettingException.Text(KlWarmupEpochs)), new(nameof(Objective), Objective.Name)],
                "the importance-weighted bound has no separate KL term to weight; leave {Beta} at 1 and {KlWarmupEpochs} at 0.");
        return this;
    }

    /// <summary>A new optimiser of the kind and learning rate these options name, for a model of this many parameters.</summary>
    public IOptimizer CreateOptimizer(IBackend backend, int parameterCount) => Optimizer switch
    {
        OptimizerKind.Adam => new Adam(backend, parameterCount, LearningRate),
        OptimizerKind.Sgd => new Sgd(backend, LearningRate),
        _ => throw new ArgumentOutOfRangeException(nameof(Optimizer), Optimizer, null),
    };

    /// <summary>The KL weight at a point of training: Beta, ramped linearly from 0 over the first KlWarmupEpochs epochs.</summary>
    public float KlWeight(int epoch, int stepInEpoch, int stepsPerEpoch)
    {
        if (KlWarmupEpochs == 0) return Beta;
        double progress = (epoch - 1 + (double)(stepInEpoch + 1) / stepsPerEpoch) / KlWarmupEpochs;
        return (float)(Beta * Math.Min(1.0, progress));
    }
}
