using VaeGpu.Host.Model;
using VaeGpu.Host.Names;
using VaeGpu.Kernels;
using VaeGpu.Runtime;

namespace VaeGpu.Host.Training;

/// <summary>Which encoder estimators train and variance vae take, and the refusal of one that the objective does not define.</summary>
public static class EstimatorChoice
{
    /// <summary>Every encoder estimator, of either objective: what `--estimator` accepts before the objective is known.</summary>
    public static readonly GradientEstimator[] Encoder = [.. EncoderEstimators.All.Union(EncoderEstimators.ImportanceWeighted).Union(EncoderEstimators.ScoreOfQ)];

    /// <summary>Refuses an estimator the objective does not define, naming both settings.</summary>
    public static void RequireFor(Objective objective, GradientEstimator estimator)
    {
        if (objective.Estimators.Contains(estimator)) return;
        SettingValue[] settings = [new(nameof(TrainingOptions.Estimator), Vocabulary.Estimators.Name(estimator)), new(nameof(TrainingOptions.Objective), objective.Name)];
        throw new InvalidSettingException(settings, estimator switch
        {
            GradientEstimator.Dreg => "dreg is defined for the importance-weighted bound only: use {Objective iwae} (at K = 1 it equals stl).",
            GradientEstimator.Vimco => "VIMCO's leave-one-out baselines are the importance-weighted bound's: use {Objective iwae}.",
            GradientEstimator.WakePhi => "wake-phi is reweighted wake-sleep's encoder update: use {Objective rws}.",
            _ => $"use {(objective.Estimators.Count == 1 ? "" : "one of ")}{string.Join(", ", objective.Estimators.Select(Vocabulary.Estimators.Name))}.",
        });
    }
}
