using MathNet.Numerics;
using VaeGpu.Kernels;
using VaeGpu.References;

namespace VaeGpu.Tests.Implicit;

/// <summary>Gamma draws and their implicit gradients (ImplicitDrawKernels.Gamma, GammaMath) on every backend.</summary>
public class GammaTests
{
    /// <summary>alpha = 10^(-3 + 7 i / 27), i = 0..27: 1e-3 to 1e4, four per decade.</summary>
    static readonly float[] Shapes = Enumerable.Range(0, 28).Select(i => (float)Math.Pow(10, -3 + 7.0 * i / 27)).ToArray();

    const int DrawsPerShape = 48;

    [TestCaseSource(typeof(Backends), nameof(Backends.All))]
    public void GradientsMatchTheReferenceFromAlphaOneThousandthToTenThousand(string backend)
    {
        float[] alpha = Shapes.SelectMany(shape => ImplicitDrawRuns.Repeat(shape, DrawsPerShape)).ToArray();
        var (logZ, logDerivative) = ImplicitDrawRuns.Gamma(backend, alpha, 11, 12);
        double worst = 0;
        string worstCase = "";
        for (int e = 0; e < alpha.Length; e++)
        {
            Assert.That(float.IsFinite(logZ[e]) && float.IsFinite(logDerivative[e]), $"alpha {alpha[e]}: log z {logZ[e]}, d log z/d alpha {logDerivative[e]}");
            // dz/dalpha = z d log z / d alpha at the same z, so its relative error is that of d log z / d alpha.
            double expected = GammaReference.LogDerivative(alpha[e], logZ[e]);
            double error = Math.Abs(logDerivative[e] - expected) / Math.Abs(expected);
            if (error > worst) (worst, worstCase) = (error, $"alpha {alpha[e]}, log z {logZ[e]}: {logDerivative[e]} against {expected}");
        }
        TestContext.Out.WriteLine($"worst relative error {worst:E2} ({worstCase})");
        Assert.That(worst, Is.LessThanOrEqualTo(1e-4), worstCase);
    }

    /// <summary>The integers are the same everywhere; only the last bits of log, exp and sqrt differ between devices.</summary>
    [TestCaseSource(typeof(Backends), nameof(Backends.All))]
    public void DrawsAreTheHostsOnEveryBackend(string backend)
    {
        float[] alpha = Shapes.SelectMany(shape => ImplicitDrawRuns.Repeat(shape, 8)).ToArray();
        var (logZ, _) = ImplicitDrawRuns.Gamma(backend, alpha, 3, 4, first: 1000);
        for (int e = 0; e < alpha.Length; e++)
        {
            float host = GammaMath.SampleLog(alpha[e], 3, 4, 1000 + e);
            Assert.That(logZ[e], Is.EqualTo(host).Within(1e-5f * Math.Max(1f, Math.Abs(host))), $"alpha {alpha[e]}, element {1000 + e}");
        }
    }

    /// <summary>Kolmogorov-Smirnov against the Gamma CDF (MathNet), tiny alpha in log space; the seed is fixed, so this never flakes.</summary>
    [TestCase(0.01f)]
    [TestCase(0.3f)]
    [TestCase(1f)]
    [TestCase(4.5f)]
    [TestCase(10000f)]
    public void DrawsFollowTheGammaDistribution(float alpha)
    {
        const int Draws = 4000;
        var (logZ, _) = ImplicitDrawRuns.Gamma("host", ImplicitDrawRuns.Repeat(alpha, Draws), 21, 22);
        double statistic = KolmogorovSmirnov.Statistic(logZ.Select(l => GammaReference.Cdf(alpha, l)));
        Assert.That(statistic, Is.LessThan(KolmogorovSmirnov.Critical(Draws)));
    }

    /// <summary>When every allowed attempt is rejected the draw is the proposal's centre, log(a - 1/3), then boosted for alpha &lt; 1.</summary>
    [TestCase(2.5f)]
    [TestCase(0.4f)]
    public void ADrawWhoseAttemptsAllFailIsTheProposalsCentre(float alpha)
    {
        float shape = alpha < 1 ? alpha + 1 : alpha;
        float centre = MathF.Log(shape - 1f / 3f);
        // An element whose first attempt is rejected: its one-attempt draw is the fallback, its full draw is not.
        long element = Enumerable.Range(0, 10000).First(e =>
            GammaMath.SampleLog(shape, 7, 8, e, attempts: 1) == centre && GammaMath.SampleLog(shape, 7, 8, e) != centre);
        float boost = alpha < 1 ? MathF.Log(RandomMath.Uniform(Philox4x32.ForAttempt(7, 8, element, 0).X3)) / alpha : 0f;
        Assert.That(GammaMath.SampleLog(alpha, 7, 8, element, attempts: 1), Is.EqualTo(centre + boost));
        Assert.That(GammaMath.SampleLog(alpha, 7, 8, element), Is.Not.EqualTo(centre + boost));
    }

    /// <summary>
    /// d/dalpha E[f(z)] by the implicit estimator f'(z) z (d log z / d alpha), within 4 standard errors of the closed
    /// form: E[z] = alpha, E[z^2] = alpha (alpha + 1), E[log z] = digamma(alpha) (whose derivative, trigamma, is taken by
    /// central differences of MathNet's digamma).
    /// </summary>
    [TestCaseSource(nameof(BackendsShapesAndCosts))]
    public void ImplicitGradientOfAnExpectationMatchesTheClosedForm(string backend, float alpha, string cost)
    {
        const int Draws = 8192;
        var (logZ, logDerivative) = ImplicitDrawRuns.Gamma(backend, ImplicitDrawRuns.Repeat(alpha, Draws), 31, 32);
        double h = 1e-5 * alpha;
        (Func<double, double> slopeTimesZ, double exact) = cost switch
        {
            "z" => ((Func<double, double>)(z => z), 1.0),
            "square" => (z => 2 * z * z, 2.0 * alpha + 1),
            _ => (_ => 1.0, (SpecialFunctions.DiGamma(alpha + h) - SpecialFunctions.DiGamma(alpha - h)) / (2 * h)),
        };
        var estimate = Estimate.Of(logZ.Select((l, e) => slopeTimesZ(Math.Exp(l)) * logDerivative[e]).ToArray());
        Assert.That(estimate.ZScore(exact), Is.LessThan(4), $"estimate {estimate.Mean} +- {estimate.StandardError}, exact {exact}");
    }

    static IEnumerable<TestCaseData> BackendsShapesAndCosts() =>
        from backend in Backends.All
        from alpha in new[] { 0.3f, 2f, 40f }
        from cost in new[] { "z", "square", "log" }
        select new TestCaseData(backend, alpha, cost);
}
