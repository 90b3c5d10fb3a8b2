namespace VaeGpu.Runtime.Experiments.MonteCarlo;

/// <summary>The shape checks the Monte Carlo operations share across backends.</summary>
static class MonteCarloShapes
{
    /// <summary>Importance terms are three rows (w f, w, w (w f)) of one column per draw.</summary>
    public static void ImportanceTerms(Tensor terms)
    {
        if (terms.Rows != 3) throw new ArgumentException($"importance terms are 3 x count; got {terms}.", nameof(terms));
    }
}
