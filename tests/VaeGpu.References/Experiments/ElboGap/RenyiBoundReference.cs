namespace VaeGpu.References;

/// <summary>
/// The Rényi bounds of groups of log weights in double, from the definitions and without log-sum-exp (the weights of
/// the tests' models are near e^-11, far from overflow): L_alpha,K = 1 / (1 - alpha) log (1/K) sum w^(1 - alpha), the
/// ELBO's mean of log w at alpha = 1; the mean over consecutive groups and the standard error of that mean.
/// </summary>
public static class RenyiBoundReference
{
    public static double OfGroup(IReadOnlyList<double> logWeights, double alpha) => alpha == 1
        ? logWeights.Average()
        : Math.Log(logWeights.Average(logWeight => Math.Pow(Math.Exp(logWeight), 1 - alpha))) / (1 - alpha);

    /// <summary>The groups of k consecutive log weights (an incomplete last group left out), their bounds' mean and its standard error.</summary>
    public static (double Mean, double StandardError) OverGroups(IReadOnlyList<double> logWeights, int k, double alpha)
    {
        double[] values = [.. logWeights.Chunk(k).Where(group => group.Length == k).Select(group => OfGroup(group, alpha))];
        double mean = values.Average();
        double variance = values.Sum(value => (value - mean) * (value - mean)) / (values.Length - 1);
        return (mean, Math.Sqrt(variance / values.Length));
    }
}
