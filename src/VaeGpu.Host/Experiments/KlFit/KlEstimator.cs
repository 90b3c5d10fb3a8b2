using VaeGpu.Kernels;

namespace VaeGpu.Host.Experiments.KlFit;

public static class KlEstimators
{
    /// <summary>The name in output and JSON.</summary>
    public static string Name(this KlEstimator estimator) => estimator switch
    {
        KlEstimator.Forward => "forward-sgd",
        KlEstimator.ReverseScoreFunction => "reverse-score-function",
        _ => "reverse-pathwise",
    };
}
