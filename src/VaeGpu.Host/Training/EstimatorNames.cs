using VaeGpu.Host.Model;
using VaeGpu.Kernels;
using VaeGpu.Runtime;

namespace VaeGpu.Host.Training;

/// <summary>The command-line and file names of the encoder estimators: pathwise, stl, score, score_baseline, dreg.</summary>
public static class EstimatorNames
{
    /// <summary>Every encoder estimator, of either objective.</summary>
    static readonly GradientEstimator[] Known = [.. EncoderEstimators.All.Union(EncoderEstimators.ImportanceWeighted)];

    public static readonly string[] All = [.. Known.Select(Name)];

    public static string Name(GradientEstimator estimator) => estimator switch
    {
        GradientEstimator.ScoreBaseline => "score_baseline",
        _ => estimator.ToString().ToLowerInvariant(),
    };

    public static GradientEstimator Parse(string name) =>
        Known.FirstOrDefault(e => Name(e) == name, (GradientEstimator)(-1)) is var estimator && Enum.IsDefined(estimator)
            ? estimator
            : throw new UserErrorException($"unknown estimator '{name}': use one of {string.Join(", ", All)}.");

    /// <summary>Refuses an estimator the objective does not define, naming the option.</summary>
    public static void RequireFor(Objective objective, GradientEstimator estimator)
    {
        if (objective.Estimators.Contains(estimator)) return;
        throw new UserErrorException(estimator == GradientEstimator.Dreg
            ? "--estimator dreg is defined for the importance-weighted bound only: add --objective iwae (at K = 1 it equals stl)."
            : $"--estimator {Name(estimator)} with --objective {objective.Name}: use one of {string.Join(", ", objective.Estimators.Select(Name))}.");
    }
}
