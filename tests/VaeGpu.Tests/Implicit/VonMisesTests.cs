using MathNet.Numerics;
using VaeGpu.Kernels;
using VaeGpu.References;

namespace VaeGpu.Tests.Implicit;

/// <summary>von Mises draws and their implicit gradients (ImplicitDrawKernels.VonMises, VonMisesMath) on every backend.</summary>
public class VonMisesTests
{
    /// <summary>kappa = 10^(-3 + i / 2), i = 0..12: 1e-3 to 1e3.</summary>
    static readonly float[] Concentrations = Enumerable.Range(0, 13).Select(i => (float)Math.Pow(10, -3 + i / 2.0)).ToArray();

    [TestCaseSource(typeof(Backends), nameof(Backends.All))]
    public void GradientsMatchTheReferenceFromKappaOneThousandthToAThousand(string backend)
    {
        float[] kappa = Concentrations.SelectMany(k => ImplicitDrawRuns.Repeat(k, 16)).ToArray();
        var (theta, derivative) = ImplicitDrawRuns.VonMises(backend, kappa, 71, 72);
        double worst = 0;
        string worstCase = "";
        for (int e = 0; e < kappa.Length; e++)
        {
            Assert.That(float.IsFinite(theta[e]) && float.IsFinite(derivative[e]) && Math.Abs(theta[e]) <= MathF.PI, $"kappa {kappa[e]}: theta {theta[e]}, derivative {derivative[e]}");
            double expected = VonMisesReference.Derivative(kappa[e], theta[e]);
            double error = Math.Abs(derivative[e] - expected) / Math.Abs(expected);
            if (error > worst) (worst, worstCase) = (error, $"kappa {kappa[e]}, theta {theta[e]}: {derivative[e]} against {expected}");
        }
        TestContext.Out.WriteLine($"worst relative error {worst:E2} ({worstCase})");
        Assert.That(worst, Is.LessThanOrEqualTo(1e-3), worstCase);
    }

    [TestCaseSource(typeof(Backends), nameof(Backends.All))]
    public void DrawsAreTheHostsOnEveryBackend(string backend)
    {
        float[] kappa = Concentrations.SelectMany(k => ImplicitDrawRuns.Repeat(k, 8)).ToArray();
        var (theta, _) = ImplicitDrawRuns.VonMises(backend, kappa, 5, 6);
        for (int e = 0; e < kappa.Length; e++)
            Assert.That(theta[e], Is.EqualTo(VonMisesMath.Sample(kappa[e], 5, 6, e)).Within(1e-5f), $"kappa {kappa[e]}, element {e}");
    }

    /// <summary>Kolmogorov-Smirnov against the CDF by quadrature (VonMisesReference); the seed is fixed, so this never flakes.</summary>
    [TestCase(0.01f)]
    [TestCase(1f)]
    [TestCase(10f)]
    [TestCase(1000f)]
    public void DrawsFollowTheVonMisesDistribution(float kappa)
    {
        const int Draws = 2000;
        var (theta, _) = ImplicitDrawRuns.VonMises("host", ImplicitDrawRuns.Repeat(kappa, Draws), 81, 82);
        double statistic = KolmogorovSmirnov.Statistic(theta.Select(t => VonMisesReference.Cdf(kappa, t)));
        Assert.That(statistic, Is.LessThan(KolmogorovSmirnov.Critical(Draws)));
    }

    [TestCase(0.5f)]
    [TestCase(50f)]
    public void ADrawWhoseAttemptsAllFailIsTheLastProposal(float kappa)
    {
        // With one attempt the draw is that attempt's proposal whether accepted or not; where the full draw differs, attempt 0 was rejected.
        long element = Enumerable.Range(0, 10000).First(e => VonMisesMath.Sample(kappa, 9, 10, e, attempts: 1) != VonMisesMath.Sample(kappa, 9, 10, e));
        float proposal = VonMisesMath.Sample(kappa, 9, 10, element, attempts: 1);
        Assert.That(float.IsFinite(proposal) && Math.Abs(proposal) <= MathF.PI, $"element {element}: {proposal}");
    }

    /// <summary>
    /// d/dkappa E[cos theta] = A'(kappa) = 1 - A / kappa - A^2 with A = I1 / I0 (MathNet's Bessel functions), and
    /// d/dkappa E[sin theta] = 0, by the implicit estimator -sin(theta) dtheta/dkappa and cos(theta) dtheta/dkappa, within
    /// 4 standard errors.
    /// </summary>
    [TestCaseSource(nameof(BackendsConcentrationsAndCosts))]
    public void ImplicitGradientOfAnExpectationMatchesTheClosedForm(string backend, float kappa, string cost)
    {
        const int Draws = 8192;
        var (theta, derivative) = ImplicitDrawRuns.VonMises(backend, ImplicitDrawRuns.Repeat(kappa, Draws), 91, 92);
        double a = SpecialFunctions.BesselI1(kappa) / SpecialFunctions.BesselI0(kappa);
        double exact = cost == "cos" ? 1 - a / kappa - a * a : 0;
        var estimate = Estimate.Of(theta.Select((t, e) => (cost == "cos" ? -Math.Sin(t) : Math.Cos(t)) * derivative[e]).ToArray());
        Assert.That(estimate.ZScore(exact), Is.LessThan(4), $"estimate {estimate.Mean} +- {estimate.StandardError}, exact {exact}");
    }

    static IEnumerable<TestCaseData> BackendsConcentrationsAndCosts() =>
        from backend in Backends.All
        from kappa in new[] { 0.2f, 2f, 30f }
        from cost in new[] { "cos", "sin" }
        select new TestCaseData(backend, kappa, cost);
}
