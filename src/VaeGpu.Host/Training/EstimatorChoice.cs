using VaeGpu.Host.Model;
using VaeGpu.Host.Names;
using VaeGpu.Kernels;
using VaeGpu.Runtime;

namespace VaeGpu.Host.Training;

/// <summary>Which encoder estimators train and variance vae take, and the refusal of one that the objective does not define.</summary>
public static class EstimatorChoice
{
    /// <summary>Every encoder estimator, of either objective: what `--estimator` accepts before the objective is known.</summary>
    public static readonly GradientEstimator[] Encoder = [.. EncoderEstimators.All.Union(EncoderEstimators.ImportanceWeighted)];

    /// <summary>Refuses an estimator the objective does not define, naming the option.</summary>
    public static void RequireFor(Objective objective, GradientEstimator estimator)
    {
        if (objective.Estimators.Contains(estimator)) return;
        throw new UserErrorException(estimator == GradientEstimator.Dreg
            ? "--estimator dreg is defined for the importance-weighted bound only: add --objective iwae (at K = 1 it equals stl)."
            : $"--estimator {Vocabulary.Estimators.Name(estimator)} with --objective {objective.Name}: use one of {string.Join(", ", objective.Estimators.Select(Vocabulary.Estimators.Name))}.");
    }
}
