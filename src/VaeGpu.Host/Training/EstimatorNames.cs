using VaeGpu.Kernels;
using VaeGpu.Runtime;

namespace VaeGpu.Host.Training;

/// <summary>The command-line and file names of the encoder estimators: pathwise, stl, score, score_baseline.</summary>
public static class EstimatorNames
{
    public static readonly string[] All = [.. Enum.GetValues<EncoderEstimator>().Select(Name)];

    public static string Name(EncoderEstimator estimator) => estimator switch
    {
        EncoderEstimator.ScoreBaseline => "score_baseline",
        _ => estimator.ToString().ToLowerInvariant(),
    };

    public static EncoderEstimator Parse(string name) =>
        Enum.GetValues<EncoderEstimator>().FirstOrDefault(e => Name(e) == name, (EncoderEstimator)(-1)) is var estimator && Enum.IsDefined(estimator)
            ? estimator
            : throw new UserErrorException($"unknown estimator '{name}': use one of {string.Join(", ", All)}.");
}
