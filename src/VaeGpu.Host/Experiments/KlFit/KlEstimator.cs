using VaeGpu.Kernels;
using VaeGpu.Runtime;
using VaeGpu.Runtime.Experiments.KlFit;

namespace VaeGpu.Host.Experiments.KlFit;

/// <summary>The stochastic gradient estimators the experiment fits q with.</summary>
public enum KlEstimator
{
    /// <summary>Forward KL(p || q): -grad log q at samples of p.</summary>
    Forward,

    /// <summary>Reverse KL(q || p) by the score function (REINFORCE): samples of q weighted by log q - log p + 1.</summary>
    ReverseScoreFunction,

    /// <summary>Reverse KL(q || p) by the path-wise (reparameterisation) gradient through x = mu + sigma eps.</summary>
    ReversePathwise,
}

public static class KlEstimators
{
    /// <summary>Writes the estimator's per-sample gradient terms (2 x n: d/dmu, d/dr), each times scale.</summary>
    public static void Terms(this IKlFitOperations operations, KlEstimator estimator, UnivariateMixture target,
        ulong seed, ulong stream, long first, Tensor parameters, float scale, Tensor terms)
    {
        switch (estimator)
        {
            case KlEstimator.Forward: operations.ForwardKlTerms(target, seed, stream, first, parameters, scale, terms); break;
            case KlEstimator.ReverseScoreFunction: operations.ReverseKlScoreTerms(target, seed, stream, first, parameters, scale, terms); break;
            default: operations.ReverseKlPathwiseTerms(target, seed, stream, first, parameters, scale, terms); break;
        }
    }

    /// <summary>The name in output and JSON.</summary>
    public static string Name(this KlEstimator estimator) => estimator switch
    {
        KlEstimator.Forward => "forward-sgd",
        KlEstimator.ReverseScoreFunction => "reverse-score-function",
        _ => "reverse-pathwise",
    };
}
