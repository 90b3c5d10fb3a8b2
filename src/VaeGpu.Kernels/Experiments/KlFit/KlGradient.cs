namespace VaeGpu.Kernels;

/// <summary>Which KL divergence between the target mixture p and the Gaussian q the experiment minimises.</summary>
public enum KlDirection
{
    /// <summary>Forward KL(p || q), an expectation under p: it spreads q over every mode.</summary>
    Forward,

    /// <summary>Reverse KL(q || p), an expectation under q: it settles q on one mode.</summary>
    Reverse,
}

/// <summary>
/// A stochastic gradient of a KL divergence with respect to q = N(mu, e^r): the direction, and the GradientEstimator
/// of E[f] that differentiates it. Forward KL's samples come from p, which does not depend on q's parameters, so its
/// only gradient is -grad log q at them: the path-wise one, along a path that does not move (the score term of p is
/// zero). Reverse KL's samples come from q: score function or path-wise. Kernels receive both parts as ints.
/// </summary>
public readonly record struct KlGradient
{
    public static readonly KlGradient Forward = new(KlDirection.Forward, GradientEstimator.Pathwise);
    public static readonly KlGradient ReverseScore = new(KlDirection.Reverse, GradientEstimator.Score);
    public static readonly KlGradient ReversePathwise = new(KlDirection.Reverse, GradientEstimator.Pathwise);

    /// <summary>Every gradient the experiment fits with, in the order of its output.</summary>
    public static readonly KlGradient[] All = [Forward, ReverseScore, ReversePathwise];

    /// <summary>Refuses a pair the kernels do not compute (another estimator, or forward KL by the score function).</summary>
    public KlGradient(KlDirection direction, GradientEstimator estimator)
    {
        bool computed = direction == KlDirection.Forward
            ? estimator == GradientEstimator.Pathwise
            : estimator is GradientEstimator.Score or GradientEstimator.Pathwise;
        if (!computed) throw new ArgumentException($"no KL gradient {direction} by {estimator}: forward KL takes Pathwise, reverse KL Score or Pathwise.", nameof(estimator));
        (Direction, Estimator) = (direction, estimator);
    }

    public KlDirection Direction { get; }
    public GradientEstimator Estimator { get; }
}
