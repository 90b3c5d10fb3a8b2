using VaeGpu.Host.Experiments.KlFit;
using VaeGpu.Kernels;
using VaeGpu.Runtime.Experiments.KlFit;

namespace VaeGpu.Tests.Experiments;

/// <summary>
/// The mixture q of `vaegpu kl-fit` on every backend: its draws z = F_q^{-1}(u) and their implicit gradients against
/// central differences of KlFitReference's double inverse CDF, the per-draw reverse-KL gradient against differences of
/// the whole per-draw objective, and the fit on the default bimodal target against the single Gaussian's.
/// </summary>
public class KlFitMixtureQTests
{
    static readonly double[] Weights = [0.2, 0.5, 0.3], Means = [-1.5, 0.3, 2.0], Deviations = [0.4, 1.1, 0.7];
    static readonly UnivariateMixture Target = UnivariateMixture.Create(Weights, Means, Deviations);
    static readonly KlFitReference Reference = new(Weights, Means, Deviations);

    const int Count = 37;
    const ulong Seed = 11, Stream = 5;
    const long First = 1_000_003;
    const float Scale = 0.25f;

    public static IEnumerable<string> BackendNames => ["host", .. Backends.Kernels];

    /// <summary>
    /// Two q's, as (logit w, m1, m2, log s1, log s2): separated, unequal components with a flat CDF between them, where
    /// Newton alone would overshoot; and two overlapping ones of very different widths.
    /// </summary>
    static readonly float[][] Qs =
    [
        [0.4f, -2.0f, 1.5f, -0.6f, 0.2f],
        [-1.3f, 0.2f, 0.5f, 0.7f, -1.5f],
    ];

    [TestCaseSource(nameof(BackendNames))]
    public void DrawsAndImplicitGradientsMatchDifferencesOfTheInverseCdf(string backendName)
    {
        var backend = Backends.Get(backendName);
        foreach (float[] q in Qs)
        {
            var draws = backend.Allocate(Count, MixtureQParameters.Count + 1);
            KlFitTests.Operations(backendName).MixtureQDraws(Seed, Stream, First, backend.Upload(q, 1, MixtureQParameters.Count), draws);
            float[] expected = new float[(MixtureQParameters.Count + 1) * Count];
            KlFitReference.MixtureQDraws(Seed, Stream, First, [.. q.Select(v => (double)v)], expected);
            AssertClose(backend.Download(draws), expected, MixtureQParameters.Count + 1);
        }
    }

    [TestCaseSource(nameof(BackendNames))]
    public void PerDrawGradientsMatchTheReference(string backendName)
    {
        var backend = Backends.Get(backendName);
        foreach (float[] q in Qs)
        {
            var terms = backend.Allocate(Count, MixtureQParameters.Count);
            KlFitTests.Operations(backendName).ReverseKlMixtureQTerms(Target, Seed, Stream, First, backend.Upload(q, 1, MixtureQParameters.Count), Scale, terms);
            float[] expected = new float[MixtureQParameters.Count * Count];
            Reference.ReverseKlMixtureQTerms(Seed, Stream, First, [.. q.Select(v => (double)v)], Scale, expected);
            AssertClose(backend.Download(terms), expected, MixtureQParameters.Count);
        }
    }

    [Test]
    public void ShapesAreChecked()
    {
        var backend = Backends.Get("host");
        var operations = KlFitTests.Operations("host");
        Assert.Throws<ArgumentException>(() => operations.MixtureQDraws(Seed, Stream, 0, backend.Allocate(1, 2), backend.Allocate(4, MixtureQParameters.Count + 1)));
        Assert.Throws<ArgumentException>(() => operations.MixtureQDraws(Seed, Stream, 0, backend.Allocate(1, MixtureQParameters.Count), backend.Allocate(4, MixtureQParameters.Count)));
        Assert.Throws<ArgumentException>(() => operations.ReverseKlMixtureQTerms(Target, Seed, Stream, 0, backend.Allocate(1, MixtureQParameters.Count), 1f, backend.Allocate(MixtureQParameters.Count, 4)));
    }

    /// <summary>
    /// The float inverse CDF at the ends of the uniform's range (2^-24 and 1 - 2^-24, about 5.3 sigma out), just either
    /// side of the median, and in the flat stretch between separated components: finite, and within 2e-5 (relative to
    /// the scale |z| + 1) of the double root. The upper half solves on the survival function, which keeps this in float.
    /// </summary>
    [Test]
    public void InverseCdfHoldsInBothTailsAndBetweenTheModes()
    {
        float[] uniforms = [1f / 16777216, 1e-6f, 0.3f, 0.5f - 1f / 16777216, 0.5f + 1f / 16777216, 0.7f, 1 - 1e-6f, 1 - 1f / 16777216];
        foreach (float[] q in Qs.Append([0f, -6f, 6f, -1f, -1f]))
            foreach (float u in uniforms)
            {
                float z = KlFitMath.MixtureQInverseCdf(new MixtureQParameters(q[0], q[1], q[2], q[3], q[4]), u);
                double expected = KlFitReference.MixtureQInverseCdf([.. q.Select(v => (double)v)], u);
                Assert.That(z, Is.EqualTo(expected).Within(2e-5 * (1 + Math.Abs(expected))), $"q ({string.Join(", ", q)}), u {u}");
            }
    }

    /// <summary>
    /// On the default target (modes at -2 and 2, sigma 0.6) from the default start, the single Gaussian's reverse fit
    /// settles on one mode, KL(q || p) near log 2, while the mixture puts a component on each mode and drives the
    /// divergence near zero (measured on the host at these settings: 3e-4 to 9e-4 over seeds 3, 11 and 42). The mixture's reported divergence
    /// is recomputed here by Gauss-Legendre quadrature, apart from the fit's own Simpson rule. The single Gaussian is
    /// fitted on the host path: its loop reduces with two IBackend.Sum launches a step, each ~0.1 s on the CPU
    /// accelerator (OS-thread barriers), and KlFitTests already checks its terms on every backend.
    /// </summary>
    [TestCaseSource(nameof(BackendNames))]
    public void MixtureFitCoversBothModesWithASmallerReverseKl(string backendName)
    {
        var target = new TargetMixture([0.5, 0.5], [-2, 2], [0.6, 0.6]);
        const int iterations = 300, batch = 256;
        const double learningRate = 0.05;
        var single = StochasticKlFit.Fit(Backends.Get("host"), KlFitTests.Operations("host"), target, KlGradient.ReversePathwise,
            0.5, 1.0, iterations, batch, learningRate, Seed);
        var mixture = MixtureKlFit.Fit(Backends.Get(backendName), KlFitTests.Operations(backendName), target,
            0.5, 1.0, iterations, batch, learningRate, Seed);

        Assert.That(single.ReverseKl, Is.EqualTo(Math.Log(2)).Within(0.02), "the single Gaussian sits on one mode");
        Assert.That(mixture.ReverseKl, Is.LessThan(0.01).And.LessThan(single.ReverseKl));
        Assert.That(mixture.Means.Order(), Is.EqualTo(new[] { -2.0, 2.0 }).Within(0.1), "a mean at each mode");
        Assert.That(mixture.Sigmas, Is.All.EqualTo(0.6).Within(0.1));
        Assert.That(mixture.Weight, Is.EqualTo(0.5).Within(0.05));
        Assert.That(mixture.ReverseKl, Is.EqualTo(QuadratureReverseKl(target, mixture)).Within(1e-6), "the reported divergence");
    }

    static double QuadratureReverseKl(TargetMixture target, FittedMixture mixture) =>
        MathNet.Numerics.Integration.GaussLegendreRule.Integrate(x =>
        {
            double q = mixture.Density(x);
            return q <= 0 ? 0 : q * Math.Log(q / target.Density(x));
        }, -15, 15, 1024);

    /// <summary>Float draws against double differences: 1e-4 relative, with an absolute floor of 1e-4 near zero.</summary>
    static void AssertClose(float[] actual, float[] expected, int columns)
    {
        Assert.That(actual, Has.Length.EqualTo(expected.Length));
        for (int i = 0; i < actual.Length; i++)
            Assert.That(actual[i], Is.EqualTo(expected[i]).Within(1e-4 * (1 + Math.Abs(expected[i]))), $"draw {i / columns}, column {i % columns}");
    }
}
