namespace VaeGpu.Host.Experiments.GaussianMixture;

/// <summary>
/// What EM ended with: the mixture, the per-point log-likelihood of the start and after each M-step
/// (LogLikelihood[t] is that of the parameters after t M-steps), whether it stopped by the tolerance, and the
/// responsibilities (N x K) under the final mixture.
/// </summary>
public sealed record MixtureFit(GaussianMixture Mixture, IReadOnlyList<double> LogLikelihood, bool Converged, float[] Responsibilities)
{
    public int Iterations => LogLikelihood.Count - 1;

    /// <summary>Each point's most likely component.</summary>
    public int[] Clusters()
    {
        int components = Mixture.Components;
        var clusters = new int[Responsibilities.Length / components];
        for (int n = 0; n < clusters.Length; n++)
        {
            var row = Responsibilities.AsSpan(n * components, components);
            clusters[n] = row.IndexOf(System.Numerics.Tensors.TensorPrimitives.Max(row));
        }
        return clusters;
    }
}
