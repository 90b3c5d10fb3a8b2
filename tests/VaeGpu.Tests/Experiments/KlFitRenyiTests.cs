using VaeGpu.Host.Experiments.KlFit;
using VaeGpu.Kernels;
using VaeGpu.Runtime;
using VaeGpu.Runtime.Experiments.KlFit;

namespace VaeGpu.Tests.Experiments;

/// <summary>
/// The Rényi bound's gradient (KlFitMath.RenyiTerms) on every backend against KlFitReference, the reference against
/// central differences of its own L_alpha,K for fixed noise, and the fits' spread along alpha.
/// </summary>
public class KlFitRenyiTests
{
    static readonly double[] Weights = [0.2, 0.5, 0.3], Means = [-1.5, 0.3, 2.0], Deviations = [0.4, 1.1, 0.7];
    static readonly UnivariateMixture Mixture = UnivariateMixture.Create(Weights, Means, Deviations);
    static readonly KlFitReference Reference = new(Weights, Means, Deviations);
    const int Groups = 13, K = 7;
    const ulong Seed = 11, Stream = 5;
    const long FirstGroup = 100_001;
    static readonly double[] Alphas = [1, 0.5, 0, -1, -5];

    static IEnumerable<TestCaseData> BackendsAndAlphas() =>
        from backend in Backends.All from alpha in Alphas select new TestCaseData(backend, alpha);

    [TestCaseSource(nameof(BackendsAndAlphas))]
    public void TermsMatchTheReference(string backendName, double alpha)
    {
        var backend = Backends.Get(backendName);
        foreach (var (mu, logVariance) in new[] { (0.4f, -0.3f), (-2.5f, 1.2f) })
        {
            var terms = backend.Allocate(2, Groups);
            KlFitTests.Operations(backendName).RenyiTerms(Mixture, K, (float)alpha, Seed, Stream, FirstGroup, backend.Upload([mu, logVariance], 1, 2), 0.5f, terms);
            float[] expected = new float[2 * Groups], actual = backend.Download(terms);
            Reference.RenyiTerms(Seed, Stream, FirstGroup, K, alpha, mu, logVariance, 0.5, expected);
            for (int i = 0; i < actual.Length; i++)
                Assert.That(actual[i], Is.EqualTo(expected[i]).Within(2e-4 * (1 + Math.Abs(expected[i]))), $"element {i}, mu {mu}, r {logVariance}");
        }
    }

    /// <summary>The reference's weighted gradient is the derivative of its L_alpha,K with the noise held fixed: central differences with h = 1e-5.</summary>
    [TestCaseSource(nameof(Alphas))]
    public void ReferenceGradientIsTheDerivativeOfTheBound(double alpha)
    {
        const double h = 1e-5, mu = 0.4, logVariance = -0.3;
        float[] terms = new float[2 * Groups];
        Reference.RenyiTerms(Seed, Stream, FirstGroup, K, alpha, mu, logVariance, 1, terms);
        for (int g = 0; g < Groups; g++)
        {
            double Bound(double m, double r) => Reference.RenyiBound(Seed, Stream, FirstGroup + g, K, alpha, m, r);
            double dMu = (Bound(mu + h, logVariance) - Bound(mu - h, logVariance)) / (2 * h);
            double dLogVariance = (Bound(mu, logVariance + h) - Bound(mu, logVariance - h)) / (2 * h);
            Assert.That(terms[g], Is.EqualTo(dMu).Within(1e-5 * (1 + Math.Abs(dMu))), $"group {g}");
            Assert.That(terms[Groups + g], Is.EqualTo(dLogVariance).Within(1e-5 * (1 + Math.Abs(dLogVariance))), $"group {g}");
        }
    }

    /// <summary>
    /// The default run's continuum on the host path: alpha = 1 is reverse KL, narrower than the forward fit; as alpha
    /// falls through 0.5 to -1 and -5 the fitted sigma grows (mass covering), below 0 past the forward fit's.
    /// </summary>
    [Test]
    public void SigmaGrowsAsAlphaFalls()
    {
        var backend = Backends.Get("host");
        var target = TargetMixture.Parse("0.5,0.5", "-2,2", "0.6,0.6", out _);
        var settings = new KlFitSettings(target, 1 << 16, 600, 1024, 0.05, 0.5, 1, 1, [1, 0.5, -1, -5], 32);
        var results = KlFitExperiment.Run(backend, settings);
        double[] sigmas = [.. results.Renyi.Select(r => r.Fit.Sigma)];
        Assert.That(sigmas, Is.Ordered.Ascending, string.Join(", ", sigmas));
        Assert.That(sigmas[0], Is.LessThan(results.Gaussians[0].Sigma));
        Assert.That(sigmas[^1], Is.GreaterThan(results.Gaussians[0].Sigma));
    }

    [Test]
    public void ImpossibleSettingsAreRefused()
    {
        var backend = Backends.Get("host");
        var target = TargetMixture.Parse("0.5,0.5", "-2,2", "0.6,0.6", out _);
        var operations = KlFitTests.Operations("host");
        Assert.Throws<InvalidSettingException>(() => RenyiKlFit.Fit(backend, operations, target, 1.5, 8, 0, 1, 1, 64, 0.05, 1));
        Assert.Throws<InvalidSettingException>(() => RenyiKlFit.Fit(backend, operations, target, 0.5, 1, 0, 1, 1, 64, 0.05, 1));
        Assert.Throws<InvalidSettingException>(() => RenyiKlFit.Fit(backend, operations, target, 0.5, 5, 0, 1, 1, 64, 0.05, 1));
        Assert.Throws<InvalidSettingException>(() => RenyiKlFit.Fit(backend, operations, target, double.NaN, 8, 0, 1, 1, 64, 0.05, 1));
    }
}
