using MathNet.Numerics;
using VaeGpu.Host.Experiments.ImplicitGradients;
using VaeGpu.Host.Files;
using VaeGpu.Kernels;

namespace VaeGpu.Tests.Experiments;

/// <summary>
/// The mathematics of `vaegpu variance gamma|beta|vonmises`: the quadrature against closed forms, the implicit
/// gradient it transports (its mean equals the plain integral E[f s], and Gamma's dz/dbeta is -z/beta), and the
/// sampled estimators' means within 4 standard errors of the exact gradient (sqrt(exact variance / N)), on the host
/// path and the CPU accelerator. Fixed seeds: a false alarm would need a 4-sigma draw (6e-5 each).
/// </summary>
public class ImplicitVarianceMathematicsTests
{
    const double Tolerance = 1e-9;

    static ImplicitExactGradients Solve(ImplicitDistribution distribution, ImplicitCost cost, double k = 1, double alpha = 0, double beta = 0, double kappa = 0) =>
        ImplicitExactGradients.Solve(new ImplicitProblem(distribution, cost, k, alpha, beta, kappa));

    /// <summary>psi'(x) by the recurrence up to x >= 20 and the asymptotic series there (error below 1e-15).</summary>
    static double Trigamma(double x)
    {
        double sum = 0;
        for (; x < 20; x++) sum += 1 / (x * x);
        double inverse = 1 / x, square = inverse * inverse;
        return sum + inverse + square / 2 + inverse * square * (1.0 / 6 - square * (1.0 / 30 - square * (1.0 / 42 - square / 30)));
    }

    static void Near(double actual, double expected, string what) =>
        Assert.That(actual, Is.EqualTo(expected).Within(Tolerance * Math.Max(1, Math.Abs(expected))), what);

    /// <summary>
    /// Gamma(alpha, rate beta): E z = alpha / beta, E z^2 = alpha (alpha + 1) / beta^2, E log z = digamma(alpha) -
    /// log beta, E exp(-k z) = (beta / (beta + k))^alpha; each gradient in alpha and beta, from tiny to large shapes.
    /// </summary>
    [TestCase(1e-3, 1.0)]
    [TestCase(0.5, 1.0)]
    [TestCase(0.5, 2.5)]
    [TestCase(3.0, 0.2)]
    [TestCase(1e4, 1.0)]
    public void GammaGradientsMatchTheClosedForms(double alpha, double beta)
    {
        var (a, b) = (ImplicitParameter.Alpha, ImplicitParameter.Beta);
        var z = Solve(ImplicitDistribution.Gamma, ImplicitCost.Z, alpha: alpha, beta: beta);
        Near(z.Gradients[a], 1 / beta, "d/dalpha E z");
        Near(z.Gradients[b], -alpha / (beta * beta), "d/dbeta E z");
        var square = Solve(ImplicitDistribution.Gamma, ImplicitCost.Square, alpha: alpha, beta: beta);
        Near(square.Gradients[a], (2 * alpha + 1) / (beta * beta), "d/dalpha E z^2");
        Near(square.Gradients[b], -2 * alpha * (alpha + 1) / (beta * beta * beta), "d/dbeta E z^2");
        var log = Solve(ImplicitDistribution.Gamma, ImplicitCost.Log, alpha: alpha, beta: beta);
        Near(log.Gradients[a], Trigamma(alpha), "d/dalpha E log z");
        Near(log.Gradients[b], -1 / beta, "d/dbeta E log z");
        const double k = 0.7;
        var exp = Solve(ImplicitDistribution.Gamma, ImplicitCost.Exp, k, alpha, beta);
        double ratio = beta / (beta + k);
        Near(exp.Gradients[a], Math.Log(ratio) * Math.Pow(ratio, alpha), "d/dalpha E exp(-k z)");
        Near(exp.Gradients[b], alpha * Math.Pow(ratio, alpha - 1) * k / ((beta + k) * (beta + k)), "d/dbeta E exp(-k z)");
    }

    /// <summary>Beta(a, b): E z = a / (a + b), E z^2 = a (a + 1) / ((a + b)(a + b + 1)), E log z = digamma(a) - digamma(a + b).</summary>
    [TestCase(0.01, 0.01)]
    [TestCase(0.5, 2.0)]
    [TestCase(3.0, 0.3)]
    [TestCase(1000.0, 20.0)]
    public void BetaGradientsMatchTheClosedForms(double a, double b)
    {
        var (alpha, beta) = (ImplicitParameter.Alpha, ImplicitParameter.Beta);
        double s = a + b;
        var z = Solve(ImplicitDistribution.Beta, ImplicitCost.Z, alpha: a, beta: b);
        Near(z.Gradients[alpha], b / (s * s), "d/da E z");
        Near(z.Gradients[beta], -a / (s * s), "d/db E z");
        var square = Solve(ImplicitDistribution.Beta, ImplicitCost.Square, alpha: a, beta: b);
        Near(square.Gradients[alpha], ((2 * a + 1) * s * (s + 1) - a * (a + 1) * (2 * s + 1)) / Math.Pow(s * (s + 1), 2), "d/da E z^2");
        Near(square.Gradients[beta], -a * (a + 1) * (2 * s + 1) / Math.Pow(s * (s + 1), 2), "d/db E z^2");
        var log = Solve(ImplicitDistribution.Beta, ImplicitCost.Log, alpha: a, beta: b);
        Near(log.Gradients[alpha], Trigamma(a) - Trigamma(s), "d/da E log z");
        Near(log.Gradients[beta], -Trigamma(s), "d/db E log z");
    }

    /// <summary>von Mises(0, kappa): d/dkappa E cos z = A'(kappa) = 1 - A / kappa - A^2, A = I1 / I0; E z = 0 for every kappa.</summary>
    [TestCase(1e-3)]
    [TestCase(0.5)]
    [TestCase(4.0)]
    [TestCase(1e3)]
    public void VonMisesGradientsMatchTheClosedForms(double kappa)
    {
        double a = SpecialFunctions.BesselIScaled(1, kappa) / SpecialFunctions.BesselIScaled(0, kappa);
        Near(Solve(ImplicitDistribution.VonMises, ImplicitCost.Cos, 1, kappa: kappa).Gradients[ImplicitParameter.Kappa], 1 - a / kappa - a * a, "d/dkappa E cos z");
        Near(Solve(ImplicitDistribution.VonMises, ImplicitCost.Z, kappa: kappa).Gradients[ImplicitParameter.Kappa], 0, "d/dkappa E z");
    }

    public static IEnumerable<TestCaseData> Problems()
    {
        foreach (var cost in ImplicitProblem.CostsOf(ImplicitDistribution.Gamma))
            foreach (double alpha in new[] { 1e-3, 0.5, 50 })
                yield return Case(new(ImplicitDistribution.Gamma, cost, 0.5, alpha, 2, 0));
        foreach (var cost in ImplicitProblem.CostsOf(ImplicitDistribution.Beta))
            foreach (var (a, b) in new[] { (0.02, 0.5), (2.0, 3.0), (400.0, 0.7) })
                yield return Case(new(ImplicitDistribution.Beta, cost, -3, a, b, 0));
        foreach (var cost in ImplicitProblem.CostsOf(ImplicitDistribution.VonMises))
            foreach (double kappa in new[] { 1e-3, 2, 800 })
                yield return Case(new(ImplicitDistribution.VonMises, cost, 3, 0, 0, kappa));
    }

    static TestCaseData Case(ImplicitProblem problem) => new TestCaseData(problem).SetArgDisplayNames(
        FormattableString.Invariant($"{ImplicitVarianceVocabulary.Distributions.Name(problem.Distribution)} {ImplicitVarianceVocabulary.Costs.Name(problem.Cost)} {string.Join(" ", problem.Parameters.Select(p => ImplicitVarianceVocabulary.Parameters.Name(p)))}"));

    /// <summary>
    /// The implicit estimator's exact mean, E[f'(z) dz/dtheta] through the transported du/dtheta, equals E[f s_theta]
    /// (integration by parts): a wrong transport anywhere that carries weight would show. Its variance is finite.
    /// </summary>
    [TestCaseSource(nameof(Problems))]
    public void TheTransportedGradientHasTheScoresMean(ImplicitProblem problem)
    {
        var exact = ImplicitExactGradients.Solve(problem);
        foreach (var parameter in problem.Parameters)
        {
            var moments = exact.Transported[parameter];
            double gradient = exact.Gradients[parameter];
            Assert.That(moments.Mean, Is.EqualTo(gradient).Within(1e-8 * Math.Max(1e-3, Math.Abs(gradient)) + 1e-8 * Math.Sqrt(exact.For(GradientEstimator.Score, parameter)!.Variance)),
                ImplicitVarianceVocabulary.Parameters.Name(parameter));
            Assert.That(double.IsFinite(moments.Variance) && moments.Variance >= 0, ImplicitVarianceVocabulary.Parameters.Name(parameter));
            Assert.That(exact.For(GradientEstimator.ScoreBaseline, parameter)!.Variance, Is.LessThanOrEqualTo(exact.For(GradientEstimator.Score, parameter)!.Variance * (1 + 1e-12)));
        }
    }

    /// <summary>Gamma's z = G / beta moves with the rate as dz/dbeta = -z / beta: the transport finds du/dbeta = -1/beta where the density has weight.</summary>
    [TestCase(1e-3)]
    [TestCase(0.5)]
    [TestCase(1e4)]
    public void TheTransportFindsGammasRateGradient(double alpha)
    {
        const double beta = 2.5;
        var problem = new ImplicitProblem(ImplicitDistribution.Gamma, ImplicitCost.Z, 1, alpha, beta, 0);
        var quadrature = new ImplicitQuadrature(problem);
        double[] transport = quadrature.Transport(ImplicitParameter.Beta);
        for (int i = 0; i < transport.Length; i++)
            if (problem.Density.LogDensity(quadrature.Nodes[i]) > -30)
                Assert.That(transport[i], Is.EqualTo(-1 / beta).Within(1e-9), $"u = {quadrature.Nodes[i]}");
    }

    public static IEnumerable<TestCaseData> SampledSettings()
    {
        foreach (string backend in new[] { "host", "cpu" })
        {
            int samples = backend == "host" ? 1 << 18 : 1 << 13;
            yield return Sampled(backend, new(ImplicitDistribution.Gamma, ImplicitCost.Log, 1, 0.5f, 1, 0, samples, 5));
            yield return Sampled(backend, new(ImplicitDistribution.Gamma, ImplicitCost.Exp, 2, 3f, 0.5f, 0, samples, 6));
            yield return Sampled(backend, new(ImplicitDistribution.Beta, ImplicitCost.Square, 1, 0.3f, 2f, 0, samples, 7));
            yield return Sampled(backend, new(ImplicitDistribution.VonMises, ImplicitCost.Cos, 1, 0, 0, 2f, samples, 8));
        }
    }

    static TestCaseData Sampled(string backend, ImplicitVarianceSettings settings) =>
        new TestCaseData(backend, settings).SetArgDisplayNames($"{backend} {ImplicitVarianceReport.Describe(settings)} {ImplicitVarianceVocabulary.Costs.Name(settings.Cost)}");

    /// <summary>
    /// Every estimator's sampled mean within 4 standard errors of the exact gradient, its sample variance within 30%
    /// of the exact one (fourth moments of score terms are heavy), on the host path and the CPU accelerator.
    /// </summary>
    [TestCaseSource(nameof(SampledSettings))]
    public void SampledMeansLieWithinFourStandardErrorsOfTheExactGradient(string backend, ImplicitVarianceSettings settings)
    {
        var exact = ImplicitExactGradients.Solve(settings.Problem);
        var (estimators, _) = new ImplicitGradientExperiment(Backends.Get(backend), settings, chunkLength: 1 << 12).Run(ShardSlice.Whole);
        foreach (var e in estimators)
            foreach (var parameter in settings.Problem.Parameters)
            {
                var statistics = e.For(parameter);
                string what = $"{e.Estimator} d/d{ImplicitVarianceVocabulary.Parameters.Name(parameter)}";
                Assert.That(statistics.Count, Is.EqualTo(settings.Samples), what);
                if (exact.For(e.Estimator, parameter) is not { } moments)
                {
                    // Beta's implicit estimator through two Gammas: its variance is at least the transported one's; the error bar is sampled.
                    Assert.That(statistics.Mean, Is.EqualTo(exact.Gradients[parameter]).Within(4 * Math.Sqrt(statistics.Variance / settings.Samples)), what);
                    Assert.That(statistics.Variance, Is.GreaterThan(0.9 * exact.Transported[parameter].Variance), what);
                    continue;
                }
                if (moments.Variance < 1e-20)
                {
                    Assert.That(statistics.Mean, Is.EqualTo(exact.Gradients[parameter]).Within(1e-6 * Math.Abs(exact.Gradients[parameter])), what);
                    continue;
                }
                Assert.That(statistics.Mean, Is.EqualTo(exact.Gradients[parameter]).Within(4 * Math.Sqrt(moments.Variance / settings.Samples)), what);
                Assert.That(statistics.Variance, Is.EqualTo(moments.Variance).Within(0.3 * moments.Variance), what);
            }
    }

    /// <summary>Shards of a run, merged, give the whole run's statistics (to the rounding of the double combination).</summary>
    [Test]
    public void MergedShardsGiveTheWholeRun()
    {
        var settings = new ImplicitVarianceSettings(ImplicitDistribution.Beta, ImplicitCost.Log, 1, 0.7f, 1.5f, 0, 5 * 4096 + 100, 9);
        var host = Backends.Get("host");
        var (whole, _) = new ImplicitGradientExperiment(host, settings, 4096).Run(ShardSlice.Whole);
        var shards = Enumerable.Range(0, 3).Select(i => new ImplicitGradientExperiment(host, settings, 4096).Run(new ShardSlice(i, 3)).Estimators).ToList();
        for (int e = 0; e < whole.Count; e++)
            foreach (var parameter in settings.Problem.Parameters)
            {
                var merged = shards.Select(shard => shard[e]).Aggregate((a, b) => a.Merge(b)).For(parameter);
                var expected = whole[e].For(parameter);
                Assert.That(merged.Count, Is.EqualTo(expected.Count));
                Assert.That(merged.Mean, Is.EqualTo(expected.Mean).Within(1e-12 * Math.Abs(expected.Mean)));
                Assert.That(merged.SquaredDeviations, Is.EqualTo(expected.SquaredDeviations).Within(1e-12 * expected.SquaredDeviations));
            }
    }
}
