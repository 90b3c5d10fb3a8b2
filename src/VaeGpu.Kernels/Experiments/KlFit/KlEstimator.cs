namespace VaeGpu.Kernels;

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
