namespace VaeGpu.References;

/// <summary>
/// The multi-draw bounds and the score estimators' coefficients in double, from an image's K log weights, stated from
/// their definitions: the mean over groups of (1 / (1 - alpha)) log mean_group w^(1 - alpha), mixed with the sampled
/// ELBO; VIMCO's c_k = w~_k - (L - L_-k) with L_-k's w_k replaced by the geometric mean of the other weights (every
/// sum taken over its own terms, never by subtraction); wake-phi's -w~_k.
/// </summary>
public static class BoundReference
{
    public static double Bound(double[] logWeights, int groups, double elboWeight, double alpha)
    {
        int size = logWeights.Length / groups;
        double grouped = Enumerable.Range(0, groups).Average(g => Renyi(logWeights.Skip(g * size).Take(size).ToArray(), alpha));
        return elboWeight * logWeights.Average() + (1 - elboWeight) * grouped;
    }

    /// <summary>(1 / (1 - alpha)) log mean_k w_k^(1 - alpha), by log-sum-exp.</summary>
    public static double Renyi(double[] logWeights, double alpha)
    {
        double power = 1 - alpha, largest = logWeights.Max(v => power * v);
        return (largest + Math.Log(logWeights.Average(v => Math.Exp(power * v - largest)))) / power;
    }

    /// <summary>The normalised weights w~_k.</summary>
    public static double[] Normalised(double[] logWeights)
    {
        double largest = logWeights.Max();
        double sum = logWeights.Sum(v => Math.Exp(v - largest));
        return [.. logWeights.Select(v => Math.Exp(v - largest) / sum)];
    }

    /// <summary>Per draw, the coefficient of its score of q in the gradient of -L_K: VIMCO's (leaveOneOut) or wake-phi's.</summary>
    public static double[] ScoreCoefficients(double[] logWeights, bool leaveOneOut)
    {
        double[] normalised = Normalised(logWeights);
        if (!leaveOneOut) return [.. normalised.Select(w => -w)];
        int samples = logWeights.Length;
        double bound = LogMeanExp(logWeights);
        return [.. Enumerable.Range(0, samples).Select(k =>
        {
            double[] others = [.. logWeights.Where((_, j) => j != k)];
            double[] leftOut = [.. others, others.Average()];
            return normalised[k] - (bound - LogMeanExp(leftOut));
        })];
    }

    static double LogMeanExp(double[] values)
    {
        double largest = values.Max();
        return largest + Math.Log(values.Average(v => Math.Exp(v - largest)));
    }
}
