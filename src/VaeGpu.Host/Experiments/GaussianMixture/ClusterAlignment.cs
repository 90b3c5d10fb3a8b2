namespace VaeGpu.Host.Experiments.GaussianMixture;

/// <summary>One cluster (points whose most likely component is Cluster) against the known labels of its points.</summary>
public sealed record ClusterAlignment(int Cluster, int Points, int MajorityLabel, double MajorityShare)
{
    /// <summary>Per component, its points and the label most of them carry (-1 and share 0 for an empty cluster).</summary>
    public static ClusterAlignment[] Align(int[] clusters, byte[] labels, int components)
    {
        var counts = new int[components, 256];
        for (int n = 0; n < clusters.Length; n++) counts[clusters[n], labels[n]]++;
        return [.. Enumerable.Range(0, components).Select(k =>
        {
            int points = Enumerable.Range(0, 256).Sum(label => counts[k, label]);
            int majority = Enumerable.Range(0, 256).MaxBy(label => counts[k, label]);
            return points == 0 ? new ClusterAlignment(k, 0, -1, 0) : new ClusterAlignment(k, points, majority, counts[k, majority] / (double)points);
        })];
    }

    /// <summary>The share of all points that carry their cluster's majority label (the clustering's purity).</summary>
    public static double Purity(IEnumerable<ClusterAlignment> clusters) =>
        clusters.Sum(c => c.Points * c.MajorityShare) / clusters.Sum(c => c.Points);
}
