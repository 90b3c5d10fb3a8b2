using VaeGpu.Kernels;
using VaeGpu.Runtime;
using VaeGpu.Runtime.Experiments.GaussianMixture;

namespace VaeGpu.Host.Experiments.GaussianMixture;

/// <summary>
/// EM for a Gaussian mixture with full covariances on a backend. The points stay on the device; per iteration the
/// host uploads K Stride(d) parameters and reads back K (N_k), K d (R^T X), K d d (scatter) and one log-likelihood
/// per chunk. E-step: the responsibilities kernel. M-step: N_k = SumColumns(R), R^T X by MatMul, the scatter about the
/// current means by the scatter kernel plus SumColumns; then, in double on the host, w_k = N_k / N,
/// mu_k = (R^T X)_k / N_k and Sigma_k = S_k / N_k - (mu_k - m_k)(mu_k - m_k)^T + ridge I.
/// </summary>
public sealed class ExpectationMaximization
{
    /// <summary>Elements per IBackend.Sum of the per-point log-densities; the chunk totals are added in double.</summary>
    const int SumChunk = 1 << 20;

    /// <summary>
    /// A component whose responsibilities add up to less than this many points is dropped (weight 0, last mean and
    /// covariance kept): its S_k / N_k would be a ratio of float underflows.
    /// </summary>
    const double EmptyComponentMass = 1e-6;

    readonly IBackend backend;
    readonly IGaussianMixtureOperations operations;
    readonly int count, dimension, components;
    readonly double ridge;
    readonly Tensor points, parameters, responsibilities, logDensity, componentMass, weightedSums, scatterPartials, scatter, chunkTotals;

    public ExpectationMaximization(IBackend backend, PointSet data, int components, double ridge)
    {
        this.backend = backend;
        (count, dimension, this.components, this.ridge) = (data.Count, data.Dimension, components, ridge);
        operations = GaussianMixtureOperations.For(backend);
        points = backend.Allocate(count, dimension);
        backend.Upload(data.Values, points);
        parameters = backend.Allocate(1, components * GaussianMixtureLayout.Stride(dimension));
        responsibilities = backend.Allocate(count, components);
        logDensity = backend.Allocate(count, 1);
        componentMass = backend.Allocate(1, components);
        weightedSums = backend.Allocate(components, dimension);
        scatterPartials = backend.Allocate(operations.ScatterPartialRows(count), components * dimension * dimension);
        scatter = backend.Allocate(1, components * dimension * dimension);
        chunkTotals = backend.Allocate((count + SumChunk - 1) / SumChunk, 1);
    }

    /// <summary>
    /// Iterates from <paramref name="start"/> until the per-point log-likelihood improves by less than
    /// <paramref name="tolerance"/> or after <paramref name="maxIterations"/> M-steps; reports each log-likelihood.
    /// </summary>
    public MixtureFit Fit(GaussianMixture start, int maxIterations, double tolerance, Action<int, double>? progress = null)
    {
        var history = new List<double>();
        var mixture = start;
        for (int iteration = 0; ; iteration++)
        {
            double logLikelihood = ExpectationStep(mixture);
            if (!double.IsFinite(logLikelihood))
                throw new UserErrorException($"the log-likelihood is not finite after {iteration} iterations: rescale the data (coordinates of order 1 suit float arithmetic).");
            history.Add(logLikelihood);
            progress?.Invoke(iteration, logLikelihood);
            if (iteration > 0 && logLikelihood - history[^2] < tolerance)
                return new MixtureFit(mixture, history, Converged: true, backend.Download(responsibilities));
            if (iteration == maxIterations)
                return new MixtureFit(mixture, history, Converged: false, backend.Download(responsibilities));
            mixture = MaximizationStep(mixture);
        }
    }

    /// <summary>Responsibilities and log p(x_n) under the mixture; returns the mean log p(x_n) over the points.</summary>
    public double ExpectationStep(GaussianMixture mixture)
    {
        backend.Upload(mixture.KernelParameters(), parameters);
        operations.Responsibilities(points, parameters, responsibilities, logDensity);
        for (int chunk = 0; chunk < chunkTotals.Rows; chunk++)
        {
            int first = chunk * SumChunk;
            backend.Sum(backend.View(logDensity, first, Math.Min(SumChunk, count - first), 1), backend.View(chunkTotals, chunk, 1, 1));
        }
        double total = 0;
        foreach (float chunkTotal in backend.Download(chunkTotals)) total += chunkTotal;
        return total / count;
    }

    /// <summary>The new mixture from the responsibilities of the last ExpectationStep, whose parameters are still uploaded.</summary>
    public GaussianMixture MaximizationStep(GaussianMixture current)
    {
        backend.SumColumns(responsibilities, componentMass);
        backend.MatMul(responsibilities, true, points, false, weightedSums);
        operations.WeightedScatterPartials(points, responsibilities, parameters, scatterPartials);
        backend.SumColumns(scatterPartials, scatter);
        float[] mass = backend.Download(componentMass), sums = backend.Download(weightedSums), scatters = backend.Download(scatter);

        double totalMass = mass.Sum(value => (double)value);
        int d = dimension;
        var weights = new double[components];
        var means = new double[components][];
        var covariances = new double[components][];
        for (int k = 0; k < components; k++)
        {
            if (!(mass[k] >= EmptyComponentMass))
            {
                (weights[k], means[k], covariances[k]) = (0, current.Means[k], current.Covariances[k]);
                continue;
            }
            weights[k] = mass[k] / totalMass;
            means[k] = [.. Enumerable.Range(0, d).Select(a => sums[k * d + a] / (double)mass[k])];
            // The scatter was taken about the means as uploaded (float): shift it to the new mean from those.
            var shift = Enumerable.Range(0, d).Select(a => means[k][a] - (float)current.Means[k][a]).ToArray();
            var covariance = new double[d * d];
            for (int a = 0; a < d; a++)
            for (int b = 0; b < d; b++)
            {
                double Entry(int i, int j) => scatters[(k * d + i) * d + j] / (double)mass[k] - shift[i] * shift[j];
                covariance[a * d + b] = 0.5 * (Entry(a, b) + Entry(b, a)) + (a == b ? ridge : 0);
            }
            covariances[k] = covariance;
        }
        return new GaussianMixture(weights, means, covariances);
    }
}
