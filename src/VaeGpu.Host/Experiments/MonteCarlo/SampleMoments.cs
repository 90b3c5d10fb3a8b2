namespace VaeGpu.Host.Experiments.MonteCarlo;

/// <summary>
/// Count, sum and sum of squares of per-sample values, in double: chunk totals from IBackend.Sum and SumOfSquares are
/// floats over at most a chunk, and adding many of them in float would lose the digits a 10^8-sample mean needs.
/// </summary>
public readonly record struct SampleMoments(long Count, double Sum, double SumOfSquares)
{
    public SampleMoments Add(long count, double sum, double sumOfSquares) => new(Count + count, Sum + sum, SumOfSquares + sumOfSquares);

    public double Mean => Sum / Count;

    /// <summary>The unbiased sample variance; never negative, although rounding could make the difference so.</summary>
    public double Variance => Count < 2 ? double.NaN : Math.Max(0, (SumOfSquares - Sum * Sum / Count) / (Count - 1));

    /// <summary>The standard error of the mean, sqrt(variance / N): the estimate's spread across repetitions.</summary>
    public double StandardError => Math.Sqrt(Variance / Count);
}
