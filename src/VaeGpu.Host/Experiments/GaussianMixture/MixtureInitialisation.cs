using VaeGpu.Kernels;
using VaeGpu.Runtime;

namespace VaeGpu.Host.Experiments.GaussianMixture;

/// <summary>
/// EM's starting point, computed once on the host in double (O(N K d), next to nothing beside the iterations):
/// k-means++ seeding for the means (the first uniformly, each next with probability proportional to its squared
/// distance from the nearest mean so far, so they are distinct points and rarely two in one cluster), every covariance
/// the data's covariance plus the ridge, equal weights.
/// </summary>
public static class MixtureInitialisation
{
    /// <summary>
    /// The ridge added to every covariance: 1e-6 times the data's mean variance (trace / d). It keeps the
    /// covariances positive definite where a component collapses onto a line or a point, and is far below any
    /// real spread, so the fit is EM's up to that relative amount.
    /// </summary>
    public const double RelativeRidge = 1e-6;

    public static (GaussianMixture Start, double Ridge) Create(PointSet points, int components, ulong seed)
    {
        int d = points.Dimension;
        var (_, covariance) = MeanAndCovariance(points);
        double trace = Enumerable.Range(0, d).Sum(a => covariance[a * d + a]);
        if (!(trace > 0)) throw new UserErrorException($"{points.Source}: all {points.Count} points are equal: a Gaussian mixture needs spread data.");
        double ridge = RelativeRidge * trace / d;
        for (int a = 0; a < d; a++) covariance[a * d + a] += ridge;
        var means = SeedMeans(points, components, seed);
        return (new GaussianMixture(
            [.. Enumerable.Repeat(1.0 / components, components)],
            means,
            [.. Enumerable.Range(0, components).Select(_ => (double[])covariance.Clone())]), ridge);
    }

    static (double[] Mean, double[] Covariance) MeanAndCovariance(PointSet points)
    {
        int d = points.Dimension;
        var mean = new double[d];
        for (int n = 0; n < points.Count; n++)
        for (int a = 0; a < d; a++) mean[a] += points.Point(n)[a];
        for (int a = 0; a < d; a++) mean[a] /= points.Count;
        var covariance = new double[d * d];
        for (int n = 0; n < points.Count; n++)
        {
            var x = points.Point(n);
            for (int a = 0; a < d; a++)
            for (int b = 0; b < d; b++) covariance[a * d + b] += (x[a] - mean[a]) * (x[b] - mean[b]);
        }
        for (int i = 0; i < d * d; i++) covariance[i] /= points.Count;
        return (mean, covariance);
    }

    /// <summary>k-means++: mean j from a uniform of Philox block (seed, Initialisation, j).</summary>
    static double[][] SeedMeans(PointSet points, int components, ulong seed)
    {
        var nearest = new double[points.Count];
        Array.Fill(nearest, 1.0); // before the first mean every point is equally likely
        var means = new double[components][];
        for (int j = 0; j < components; j++)
        {
            double total = nearest.Sum();
            if (!(total > 0))
                throw new UserErrorException($"{points.Source}: fewer than {components} distinct points: use at most {j} components.");
            int chosen = Pick(nearest, UnitInterval(seed, j) * total);
            means[j] = [.. points.Point(chosen).ToArray().Select(value => (double)value)];
            for (int n = 0; n < points.Count; n++)
            {
                double squared = 0;
                for (int a = 0; a < points.Dimension; a++) squared += Math.Pow(points.Point(n)[a] - means[j][a], 2);
                nearest[n] = j == 0 ? squared : Math.Min(nearest[n], squared);
            }
        }
        return means;
    }

    /// <summary>The first index whose cumulative weight passes target; a zero weight (a chosen point) is never picked.</summary>
    static int Pick(double[] weights, double target)
    {
        double cumulative = 0;
        int last = 0;
        for (int n = 0; n < weights.Length; n++)
        {
            if (weights[n] <= 0) continue;
            cumulative += weights[n];
            last = n;
            if (cumulative > target) return n;
        }
        return last; // target within rounding of the total
    }

    /// <summary>A double in (0, 1) from 53 bits of the block, finer than float's 24 bits, for data sets of millions of points.</summary>
    static double UnitInterval(ulong seed, int draw)
    {
        var bits = Philox4x32.ForBlock(seed, EmStreams.Initialisation, draw);
        ulong combined = ((ulong)bits.X0 << 21) | (bits.X1 >> 11);
        return (combined + 0.5) / (1UL << 53);
    }
}
