using VaeGpu.Host.Experiments.GaussianMixture;
using VaeGpu.Kernels;
using VaeGpu.Runtime.Experiments.GaussianMixture;

namespace VaeGpu.Tests.Experiments;

/// <summary>The EM kernels (host path and the CPU accelerator) against GaussianMixtureReference, in double.</summary>
public class GaussianMixtureTests
{
    public static IEnumerable<string> BackendNames => ["host", .. Backends.Kernels];

    /// <summary>A mixture with random means in [-2, 2] and covariances A A^T + I/2 (well conditioned, correlated).</summary>
    static GaussianMixture RandomMixture(int components, int dimension, int seed)
    {
        var random = new Random(seed);
        double[] weights = [.. Enumerable.Range(0, components).Select(_ => 0.2 + random.NextDouble())];
        return new GaussianMixture(
            [.. weights.Select(w => w / weights.Sum())],
            [.. Enumerable.Range(0, components).Select(_ => Enumerable.Range(0, dimension).Select(_ => 4 * random.NextDouble() - 2).ToArray())],
            [.. Enumerable.Range(0, components).Select(_ =>
            {
                double[] a = [.. Enumerable.Range(0, dimension * dimension).Select(_ => random.NextDouble() - 0.5)];
                return Enumerable.Range(0, dimension * dimension).Select(i =>
                    Enumerable.Range(0, dimension).Sum(m => a[i / dimension * dimension + m] * a[i % dimension * dimension + m]) + (i / dimension == i % dimension ? 0.5 : 0)).ToArray();
            })]);
    }

    [TestCaseSource(nameof(BackendNames))]
    public void ResponsibilitiesMatchTheReferenceAndSumToOne(string backendName)
    {
        const int count = 300, components = 3, dimension = 3;
        var backend = Backends.Get(backendName);
        float[] points = RandomArrays.Uniform(count * dimension, 11, -4f, 4f), parameters = RandomMixture(components, dimension, 12).KernelParameters();
        var (responsibilities, logDensity) = (backend.Allocate(count, components), backend.Allocate(count, 1));

        GaussianMixtureOperations.For(backend).Responsibilities(backend.Upload(points, count, dimension), backend.Upload(parameters, 1, parameters.Length), responsibilities, logDensity);

        float[] expected = new float[count * components], expectedLogDensity = new float[count];
        GaussianMixtureReference.Responsibilities(points, count, dimension, components, parameters, expected, expectedLogDensity);
        float[] actual = backend.Download(responsibilities);
        Assert.That(actual, Is.EqualTo(expected).Within(1e-5f));
        // log p(x) ranges over tens of nats here: float rounding of the quadratic form is ~1e-6 relative; 1e-5 allowed.
        Assert.That(backend.Download(logDensity), Is.EqualTo(expectedLogDensity).Within(1e-3f).Percent);
        for (int n = 0; n < count; n++)
            Assert.That(actual.AsSpan(n * components, components).ToArray().Sum(), Is.EqualTo(1f).Within(1e-5f), $"point {n}");
    }

    /// <summary>Far from every component (log densities near -1e4) log-sum-exp still gives finite, normalised rows.</summary>
    [TestCaseSource(nameof(BackendNames))]
    public void FarPointsDoNotUnderflow(string backendName)
    {
        var backend = Backends.Get(backendName);
        float[] points = [150f, -150f, -150f, 150f], parameters = RandomMixture(2, 2, 3).KernelParameters();
        var (responsibilities, logDensity) = (backend.Allocate(2, 2), backend.Allocate(2, 1));

        GaussianMixtureOperations.For(backend).Responsibilities(backend.Upload(points, 2, 2), backend.Upload(parameters, 1, parameters.Length), responsibilities, logDensity);

        float[] expected = new float[4], expectedLogDensity = new float[2];
        GaussianMixtureReference.Responsibilities(points, 2, 2, 2, parameters, expected, expectedLogDensity);
        Assert.That(expectedLogDensity, Is.All.LessThan(-1000f));
        Assert.That(backend.Download(responsibilities), Is.EqualTo(expected).Within(1e-5f));
        Assert.That(backend.Download(logDensity), Is.EqualTo(expectedLogDensity).Within(1e-3f).Percent);
    }

    /// <summary>600 points: two full blocks of 256 and a partial one, added by SumColumns as EM does.</summary>
    [TestCaseSource(nameof(BackendNames))]
    public void WeightedScatterMatchesTheReference(string backendName)
    {
        const int count = 600, components = 2, dimension = 3;
        var backend = Backends.Get(backendName);
        float[] points = RandomArrays.Uniform(count * dimension, 21, -3f, 5f), responsibilities = RandomArrays.Uniform(count * components, 22, 0f, 1f);
        float[] parameters = RandomMixture(components, dimension, 23).KernelParameters();
        var partials = backend.Allocate(GaussianMixtureKernels.ScatterBlocks(count), components * dimension * dimension);
        var scatter = backend.Allocate(1, components * dimension * dimension);

        GaussianMixtureOperations.For(backend).WeightedScatterPartials(backend.Upload(points, count, dimension),
            backend.Upload(responsibilities, count, components), backend.Upload(parameters, 1, parameters.Length), partials);
        backend.SumColumns(partials, scatter);

        float[] expected = new float[components * dimension * dimension];
        GaussianMixtureReference.WeightedScatter(points, responsibilities, parameters, count, dimension, components, expected);
        Assert.That(partials.Rows, Is.EqualTo(3));
        // Sums of 600 float products of size ~10: rounding ~1e-6 relative per addition, 1e-3 % leaves ample room.
        Assert.That(backend.Download(scatter), Is.EqualTo(expected).Within(1e-3f).Percent);
    }
}
