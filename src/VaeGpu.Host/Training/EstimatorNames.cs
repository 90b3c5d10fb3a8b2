using VaeGpu.Kernels;
using VaeGpu.Runtime;

namespace VaeGpu.Host.Training;

/// <summary>The command-line and file names of the encoder estimators: pathwise, stl, score, score_baseline.</summary>
public static class EstimatorNames
{
    public static readonly string[] All = [.. EncoderEstimators.All.Select(Name)];

    public static string Name(GradientEstimator estimator) => estimator switch
    {
        GradientEstimator.ScoreBaseline => "score_baseline",
        _ => estimator.ToString().ToLowerInvariant(),
    };

    public static GradientEstimator Parse(string name) =>
        EncoderEstimators.All.FirstOrDefault(e => Name(e) == name, (GradientEstimator)(-1)) is var estimator && Enum.IsDefined(estimator)
            ? estimator
            : throw new UserErrorException($"unknown estimator '{name}': use one of {string.Join(", ", All)}.");
}
