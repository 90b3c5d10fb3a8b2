namespace VaeGpu.Kernels;

/// <summary>One component of a UnivariateMixture, with the constants its sampler and log-density need precomputed.</summary>
public struct UnivariateComponent
{
    /// <summary>The weights of this and every earlier component: a uniform u picks the first component with u at most this.</summary>
    public float CumulativeWeight;
    public float Mean, StandardDeviation;

    /// <summary>log w - log s - log(2 pi) / 2: the log-density at the mean, weight included.</summary>
    public float LogNormaliser;
}

/// <summary>
/// A one-dimensional Gaussian mixture of up to MaxComponents components, passed to kernels by value (like AdamStep):
/// a few floats need no device buffer, and the same struct serves kernels and the host path. Fields rather than an
/// array, because kernels cannot hold managed arrays.
/// </summary>
public struct UnivariateMixture
{
    public const int MaxComponents = 4;

    public int Count;
    public UnivariateComponent Component0, Component1, Component2, Component3;

    public readonly UnivariateComponent Component(int index) => index switch
    {
        0 => Component0,
        1 => Component1,
        2 => Component2,
        _ => Component3,
    };

    /// <summary>
    /// From weights (positive, summing to 1), means and standard deviations (positive). The last cumulative weight is
    /// set to exactly 1 so that every uniform in (0, 1] picks a component whatever the rounding of the sum.
    /// </summary>
    public static UnivariateMixture Create(IReadOnlyList<double> weights, IReadOnlyList<double> means, IReadOnlyList<double> standardDeviations)
    {
        int count = weights.Count;
        if (count < 1 || count > MaxComponents || means.Count != count || standardDeviations.Count != count)
            throw new ArgumentException($"1 to {MaxComponents} components, with as many means and standard deviations as weights.");
        var mixture = new UnivariateMixture { Count = count };
        double cumulative = 0;
        for (int k = 0; k < count; k++)
        {
            cumulative += weights[k];
            var component = new UnivariateComponent
            {
                CumulativeWeight = k == count - 1 ? 1f : (float)cumulative,
                Mean = (float)means[k],
                StandardDeviation = (float)standardDeviations[k],
                LogNormaliser = (float)(Math.Log(weights[k]) - Math.Log(standardDeviations[k]) - 0.5 * Math.Log(2 * Math.PI)),
            };
            switch (k)
            {
                case 0: mixture.Component0 = component; break;
                case 1: mixture.Component1 = component; break;
                case 2: mixture.Component2 = component; break;
                default: mixture.Component3 = component; break;
            }
        }
        return mixture;
    }
}
