using VaeGpu.Kernels;
using VaeGpu.Runtime.Experiments.KlFit;

namespace VaeGpu.Tests.Experiments;

/// <summary>The KL-fit kernels (through IKlFitOperations) on the host path and the CPU accelerator against KlFitReference.</summary>
public class KlFitTests
{
    /// <summary>Three unequal components, so the component choice and the log-sum-exp loop are both exercised.</summary>
    static readonly double[] Weights = [0.2, 0.5, 0.3], Means = [-1.5, 0.3, 2.0], Deviations = [0.4, 1.1, 0.7];
    static readonly UnivariateMixture Mixture = UnivariateMixture.Create(Weights, Means, Deviations);
    static readonly KlFitReference Reference = new(Weights, Means, Deviations);

    const int Count = 37;
    const ulong Seed = 11, Stream = 5;
    const long First = 1_000_003; // not a multiple of 4: exercises the lane arithmetic of the normals
    const float Scale = 0.25f;

    public static IEnumerable<string> BackendNames => ["host", .. Backends.Kernels];

    /// <summary>Compiling the kernels for the CPU accelerator takes seconds: once per backend per test run.</summary>
    static readonly Dictionary<string, IKlFitOperations> operations = [];

    internal static IKlFitOperations Operations(string backendName)
    {
        lock (operations)
        {
            if (!operations.TryGetValue(backendName, out var found))
                operations[backendName] = found = KlFitOperations.For(Backends.Get(backendName));
            return found;
        }
    }

    [TestCaseSource(nameof(BackendNames))]
    public void SampleMixtureMatchesTheReference(string backendName)
    {
        var backend = Backends.Get(backendName);
        var samples = backend.Allocate(1, Count);
        Operations(backendName).SampleMixture(Mixture, Seed, Stream, First, samples);

        float[] expected = new float[Count];
        Reference.SampleMixture(Seed, Stream, First, expected);
        AssertClose(backend.Download(samples), expected);
    }

    [TestCaseSource(nameof(BackendNames))]
    public void ForwardKlTermsMatchTheReference(string backendName) =>
        CheckTerms(backendName, (ops, parameters, terms) => ops.Terms(KlGradient.Forward, Mixture, Seed, Stream, First, parameters, Scale, terms),
            (mu, r, expected) => Reference.ForwardKlTerms(Seed, Stream, First, mu, r, Scale, expected));

    [TestCaseSource(nameof(BackendNames))]
    public void ReverseKlScoreTermsMatchTheReference(string backendName) =>
        CheckTerms(backendName, (ops, parameters, terms) => ops.Terms(KlGradient.ReverseScore, Mixture, Seed, Stream, First, parameters, Scale, terms),
            (mu, r, expected) => Reference.ReverseKlScoreTerms(Seed, Stream, First, mu, r, Scale, expected));

    [TestCaseSource(nameof(BackendNames))]
    public void ReverseKlPathwiseTermsMatchTheReference(string backendName) =>
        CheckTerms(backendName, (ops, parameters, terms) => ops.Terms(KlGradient.ReversePathwise, Mixture, Seed, Stream, First, parameters, Scale, terms),
            (mu, r, expected) => Reference.ReverseKlPathwiseTerms(Seed, Stream, First, mu, r, Scale, expected));

    [Test]
    public void ShapesAreChecked()
    {
        var backend = Backends.Get("host");
        var ops = Operations("host");
        Assert.Throws<ArgumentException>(() => ops.Terms(KlGradient.Forward, Mixture, Seed, Stream, 0, backend.Allocate(1, 3), 1f, backend.Allocate(2, 4)));
        Assert.Throws<ArgumentException>(() => ops.Terms(KlGradient.ReverseScore, Mixture, Seed, Stream, 0, backend.Allocate(1, 2), 1f, backend.Allocate(1, 8)));
    }

    /// <summary>A KlGradient is only a pair the kernels compute: forward KL has no score-function form here, and no other estimator is either direction's.</summary>
    [Test]
    public void AGradientIsADirectionTimesAnEstimatorTheKernelsCompute()
    {
        Assert.That(new KlGradient(KlDirection.Reverse, GradientEstimator.Score), Is.EqualTo(KlGradient.ReverseScore));
        Assert.That(default(KlGradient), Is.EqualTo(KlGradient.Forward));
        Assert.Throws<ArgumentException>(() => _ = new KlGradient(KlDirection.Forward, GradientEstimator.Score));
        Assert.Throws<ArgumentException>(() => _ = new KlGradient(KlDirection.Reverse, GradientEstimator.Dreg));
    }

    static void CheckTerms(string backendName, Action<IKlFitOperations, Tensor, Tensor> launch, Action<double, double, float[]> reference)
    {
        var backend = Backends.Get(backendName);
        foreach (var (mu, logVariance) in new[] { (0.4f, -0.3f), (-2.5f, 1.2f) })
        {
            var parameters = backend.Upload([mu, logVariance], 1, 2);
            var terms = backend.Allocate(2, Count);
            launch(Operations(backendName), parameters, terms);

            float[] expected = new float[2 * Count];
            reference(mu, logVariance, expected);
            AssertClose(backend.Download(terms), expected);
        }
    }

    /// <summary>Float kernels against the double reference: 1e-4 relative, with an absolute floor of 1e-4 near zero.</summary>
    static void AssertClose(float[] actual, float[] expected)
    {
        Assert.That(actual, Has.Length.EqualTo(expected.Length));
        for (int i = 0; i < actual.Length; i++)
            Assert.That(actual[i], Is.EqualTo(expected[i]).Within(1e-4 * (1 + Math.Abs(expected[i]))), $"element {i}");
    }
}
