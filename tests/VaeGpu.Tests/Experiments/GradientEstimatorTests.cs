using VaeGpu.Host.Experiments.GradientEstimators;
using VaeGpu.Kernels;
using VaeGpu.Runtime.Experiments.GradientEstimators;

namespace VaeGpu.Tests.Experiments;

/// <summary>The gradient-estimator operations on every backend against GradientEstimatorReference, and the two-row reducer.</summary>
public class GradientEstimatorTests
{
    /// <summary>Not a multiple of 4 (the last Philox block is partly used), and more than one host slice of 4096.</summary>
    const int Count = 4101;

    /// <summary>A slice starting inside the stream, as a shard's does.</summary>
    const long First = 8192;

    const ulong Seed = 5, Stream = 9;

    public static IEnumerable<TestCaseData> Cases() =>
        from backend in Backends.All
        from estimator in GaussianGradientExperiment.Estimators
        from cost in Enum.GetValues<GradientEstimatorCost>()
        where backend is not ("cpu" or "opencl") || cost == GradientEstimatorCost.Cos // the simulator is slow; one cost there covers the kernels' paths
        select new TestCaseData(backend, estimator, cost);

    /// <summary>
    /// Equal up to float rounding relative to the term's size: the reference works in double from NormalAt's float
    /// normals, the kernels in float, and the host path's Box-Muller sine and cosine differ from MathF's by up to 5e-7,
    /// which the score terms' eps^3-sized factors (|eps| up to 5.6) lift to about 1e-4 of 1 + |term|.
    /// </summary>
    [TestCaseSource(nameof(Cases))]
    public void TermsMatchTheReference(string backendName, GradientEstimator estimator, GradientEstimatorCost cost)
    {
        var backend = Backends.Get(backendName);
        var problem = new GradientEstimatorProblem(cost, 1.5f, 0.5f, 1.25f);
        var terms = backend.Allocate(2, Count);
        GradientEstimatorOperations.For(backend).Terms(estimator, problem, 0.75f, -0.5f, 0.25f, 0.125f, Seed, Stream, First, terms);

        float[] expected = new float[2 * Count];
        GradientEstimatorReference.Terms(expected, estimator, cost, 1.5f, 0.5f, 1.25f,
            estimator == GradientEstimator.ScoreBaseline ? 0.75 : 0, estimator == GradientEstimator.ScoreBaseline ? -0.5 : 0, 0.25, 0.125, Seed, Stream, First);
        AssertClose(backend.Download(terms), expected);
    }

    [TestCaseSource(typeof(Backends), nameof(Backends.All))]
    public void BaselineTermsMatchTheReference(string backendName)
    {
        var backend = Backends.Get(backendName);
        var terms = backend.Allocate(2, Count);
        GradientEstimatorOperations.For(backend).BaselineTerms(new GradientEstimatorProblem(GradientEstimatorCost.Quadratic, -1f, 0.5f, 1.25f), Seed, Stream, First, terms);
        float[] expected = new float[2 * Count];
        GradientEstimatorReference.BaselineTerms(expected, GradientEstimatorCost.Quadratic, -1f, 0.5f, 1.25f, Seed, Stream, First);
        AssertClose(backend.Download(terms), expected);
    }

    /// <summary>Samples first .. first + n - 1 of a stream are the same whether drawn in one call or from an offset.</summary>
    [Test]
    public void ASliceDrawsTheSamplesOfTheWholeRun()
    {
        var backend = Backends.Get("host");
        var operations = GradientEstimatorOperations.For(backend);
        var problem = new GradientEstimatorProblem(GradientEstimatorCost.Exp, 0.5f, 1f, 1f);
        var whole = backend.Allocate(2, 2 * Count);
        var tail = backend.Allocate(2, Count);
        operations.Terms(GradientEstimator.Pathwise, problem, 0, 0, 0, 0, Seed, Stream, 0, whole);
        operations.Terms(GradientEstimator.Pathwise, problem, 0, 0, 0, 0, Seed, Stream, Count - 1, tail); // Count - 1 = 4100 is a multiple of 4
        float[] all = backend.Download(whole), part = backend.Download(tail);
        for (int i = 0; i < Count; i++)
        {
            Assert.That(part[i], Is.EqualTo(all[Count - 1 + i]), $"d/dmu term {i}");
            Assert.That(part[Count + i], Is.EqualTo(all[2 * Count + Count - 1 + i]), $"d/dsigma term {i}");
        }
    }

    [Test]
    public void ASliceMustStartOnAPhiloxBlock()
    {
        var backend = Backends.Get("host");
        var terms = backend.Allocate(2, 8);
        Assert.That(() => GradientEstimatorOperations.For(backend).Terms(GradientEstimator.Score, new(GradientEstimatorCost.Cos, 1, 0, 1), 0, 0, 0, 0, 1, 1, 6, terms),
            Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    /// <summary>Chunks of 1000 over 2500 samples give the moments of each row of the reference laid end to end (float chunk sums: 1e-5).</summary>
    [TestCaseSource(typeof(Backends), nameof(Backends.All))]
    public void TermPairReducerAddsEachRowsChunkMoments(string backendName)
    {
        var backend = Backends.Get(backendName);
        var operations = GradientEstimatorOperations.For(backend);
        var problem = new GradientEstimatorProblem(GradientEstimatorCost.Quadratic, 1f, 0.5f, 1f);
        var (mu, sigma) = new TermPairReducer(backend, chunkLength: 1000).Reduce(4000, 2500, (terms, first) =>
            operations.Terms(GradientEstimator.Pathwise, problem, 0, 0, 0, 0, Seed, Stream, first, terms));

        float[] expected = new float[2 * 2500];
        GradientEstimatorReference.Terms(expected, GradientEstimator.Pathwise, GradientEstimatorCost.Quadratic, 1, 0.5, 1, 0, 0, 0, 0, Seed, Stream, 4000);
        double SumOf(int offset, bool squares) => expected.Skip(offset).Take(2500).Sum(v => squares ? (double)v * v : v);
        Assert.That(mu.Count, Is.EqualTo(2500));
        Assert.That(mu.Sum, Is.EqualTo(SumOf(0, false)).Within(1e-5 * expected.Take(2500).Sum(v => Math.Abs((double)v))));
        Assert.That(mu.SumOfSquares, Is.EqualTo(SumOf(0, true)).Within(1e-5 * SumOf(0, true)));
        Assert.That(sigma.Sum, Is.EqualTo(SumOf(2500, false)).Within(1e-5 * expected.Skip(2500).Sum(v => Math.Abs((double)v))));
        Assert.That(sigma.SumOfSquares, Is.EqualTo(SumOf(2500, true)).Within(1e-5 * SumOf(2500, true)));
    }

    static void AssertClose(float[] actual, float[] expected)
    {
        for (int e = 0; e < expected.Length; e++)
            Assert.That(actual[e], Is.EqualTo(expected[e]).Within(1e-4 * (1 + Math.Abs(expected[e]))), $"element {e} ({(e < expected.Length / 2 ? "d/dmu" : "d/dsigma")})");
    }
}
