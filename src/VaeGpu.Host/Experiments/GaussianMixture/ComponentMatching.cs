namespace VaeGpu.Host.Experiments.GaussianMixture;

/// <summary>Which fitted component is which true one: EM's component order is arbitrary (label switching).</summary>
public static class ComponentMatching
{
    /// <summary>
    /// For each true component in order, the nearest fitted mean not taken yet. Greedy rather than an optimal
    /// assignment: enough for the well-separated mixtures it is used on. Both mixtures have the same K.
    /// </summary>
    public static int[] Match(GaussianMixture truth, GaussianMixture fitted)
    {
        var taken = new bool[fitted.Components];
        var match = new int[truth.Components];
        for (int j = 0; j < truth.Components; j++)
        {
            match[j] = Enumerable.Range(0, fitted.Components).Where(k => !taken[k])
                .MinBy(k => truth.Means[j].Zip(fitted.Means[k], (a, b) => (a - b) * (a - b)).Sum());
            taken[match[j]] = true;
        }
        return match;
    }
}
