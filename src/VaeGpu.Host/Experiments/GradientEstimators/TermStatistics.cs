using VaeGpu.Host.Experiments.MonteCarlo;

namespace VaeGpu.Host.Experiments.GradientEstimators;

/// <summary>
/// Sufficient statistics of one per-sample quantity: the count, the mean and the sum of squared deviations from it
/// (M2), which shards store and the merge combines without loss (Chan, Golub &amp; LeVeque 1979).
/// </summary>
public readonly record struct TermStatistics(long Count, double Mean, double SquaredDeviations)
{
    /// <summary>
    /// From the moments of centred terms t - c: the mean is c + mean(t - c), and M2 is the same for t and t - c. With c
    /// near the mean the float chunk sums and the double sum - sum^2 / n cancel little, which is why the kernels centre.
    /// </summary>
    public static TermStatistics FromCentred(SampleMoments centred, double centre) => centred.Count == 0
        ? default
        : new(centred.Count, centre + centred.Mean, Math.Max(0, centred.SumOfSquares - centred.Sum * centred.Sum / centred.Count));

    /// <summary>The unbiased sample variance.</summary>
    public double Variance => Count < 2 ? double.NaN : SquaredDeviations / (Count - 1);

    /// <summary>The statistics of both sets of samples together: Chan et al.'s pairwise update of the mean and M2.</summary>
    public TermStatistics Merge(TermStatistics other)
    {
        if (other.Count == 0) return this;
        if (Count == 0) return other;
        long count = Count + other.Count;
        double delta = other.Mean - Mean;
        return new(count, Mean + delta * other.Count / count,
            SquaredDeviations + other.SquaredDeviations + delta * delta * ((double)Count * other.Count / count));
    }
}
