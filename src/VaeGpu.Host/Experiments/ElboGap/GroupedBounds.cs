using VaeGpu.Runtime;

namespace VaeGpu.Host.Experiments.ElboGap;

/// <summary>
/// Accumulates the Rényi bounds of a stream of per-sample log weights cut into groups of K consecutive samples (a
/// group may straddle two chunks of the stream): each complete group's L_alpha,K for every alpha, and their running
/// mean and variance by Welford's update, which keeps the digits of a nearly constant value (the terms at q = p(z|x)).
/// Samples past the last complete group are left out.
/// </summary>
public sealed class GroupedBounds
{
    readonly double[] alphas;
    readonly double[] group;
    readonly double[] means, squaredDeviations;
    int filled;

    public GroupedBounds(int k, IReadOnlyList<double> alphas)
    {
        if (k < 2) throw new InvalidSettingException(nameof(k), k, "a multi-draw bound needs at least 2 draws per group (with 1 every bound is the ELBO).");
        this.alphas = [.. alphas];
        group = new double[k];
        means = new double[alphas.Count];
        squaredDeviations = new double[alphas.Count];
    }

    public int K => group.Length;
    public long Groups { get; private set; }

    /// <summary>Adds the log weights offset + values[i] in order.</summary>
    public void Add(ReadOnlySpan<float> values, double offset)
    {
        foreach (float value in values)
        {
            group[filled++] = offset + value;
            if (filled < group.Length) continue;
            filled = 0;
            Groups++;
            for (int a = 0; a < alphas.Length; a++)
            {
                double bound = RenyiBound.OfGroup(group, alphas[a]), deviation = bound - means[a];
                means[a] += deviation / Groups;
                squaredDeviations[a] += deviation * (bound - means[a]);
            }
        }
    }

    /// <summary>Each alpha's mean over the groups with its standard error; <paramref name="limit"/> gives each bound's K -> infinity value.</summary>
    public IReadOnlyList<BoundEstimate> Estimates(Func<double, double> limit)
    {
        if (Groups < 2) throw new InvalidOperationException($"{Groups} complete groups of {K}: a standard error needs at least 2.");
        return [.. alphas.Select((alpha, a) => new BoundEstimate(alpha, K, Groups, means[a], Math.Sqrt(squaredDeviations[a] / (Groups - 1) / Groups), limit(alpha)))];
    }
}
