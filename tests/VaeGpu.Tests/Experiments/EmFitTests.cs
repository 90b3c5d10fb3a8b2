using VaeGpu.Host.Experiments.GaussianMixture;

namespace VaeGpu.Tests.Experiments;

/// <summary>EM's mathematics: the log-likelihood never falls, and a well-separated known mixture is recovered.</summary>
public class EmFitTests
{
    static MixtureFit Fit(string backendName, PointSet points, int components, int iterations, double tolerance)
    {
        var (start, ridge) = MixtureInitialisation.Create(points, components, seed: 5);
        return new ExpectationMaximization(Backends.Get(backendName), points, components, ridge).Fit(start, iterations, tolerance);
    }

    /// <summary>
    /// EM's monotonicity (Dempster, Laird and Rubin), up to float rounding of the per-point sum (1e-6 relative). K = 4
    /// on three clusters and no tolerance, so that the fit keeps moving for every one of the iterations.
    /// </summary>
    [TestCase("host", 3000, 150)]
    [TestCase("cpu", 400, 25)]
    public void LogLikelihoodNeverDecreases(string backendName, int count, int iterations)
    {
        var fit = Fit(backendName, SyntheticMixture.Draw(SyntheticMixture.Truth, count, seed: 3), 4, iterations, double.NegativeInfinity);
        var trace = fit.LogLikelihood;
        Assert.That(trace, Has.Count.EqualTo(iterations + 1));
        for (int t = 1; t < trace.Count; t++)
            Assert.That(trace[t], Is.GreaterThanOrEqualTo(trace[t - 1] - 1e-6 * Math.Abs(trace[t - 1])), $"iteration {t}");
        Assert.That(trace[^1] - trace[0], Is.GreaterThan(0.5), "the fit improves substantially from the start");
    }

    /// <summary>
    /// 20000 points of the synthetic mixture: every fitted parameter within 5 standard errors of the truth. For a
    /// component with n = N w points: weight sqrt(w (1 - w) / N), mean_a sqrt(S_aa / n), covariance_ab
    /// sqrt((S_aa S_bb + S_ab^2) / n) (the sampling errors of a proportion, a mean and a Gaussian sample covariance).
    /// </summary>
    [Test]
    public void RecoversTheTrueMixture()
    {
        const int count = 20000;
        var truth = SyntheticMixture.Truth;
        var fit = Fit("host", SyntheticMixture.Draw(truth, count, seed: 7), 3, 500, 1e-9);
        Assert.That(fit.Converged, "converged before --iters");
        var match = ComponentMatching.Match(truth, fit.Mixture);
        Assert.That(match.Distinct().Count(), Is.EqualTo(3));
        int d = truth.Dimension;
        for (int j = 0; j < 3; j++)
        {
            int k = match[j];
            double w = truth.Weights[j], n = count * w;
            var s = truth.Covariances[j];
            Assert.That(fit.Mixture.Weights[k], Is.EqualTo(w).Within(5 * Math.Sqrt(w * (1 - w) / count)), $"weight {j}");
            for (int a = 0; a < d; a++)
                Assert.That(fit.Mixture.Means[k][a], Is.EqualTo(truth.Means[j][a]).Within(5 * Math.Sqrt(s[a * d + a] / n)), $"mean {j}[{a}]");
            for (int a = 0; a < d; a++)
            for (int b = 0; b < d; b++)
                Assert.That(fit.Mixture.Covariances[k][a * d + b], Is.EqualTo(s[a * d + b])
                    .Within(5 * Math.Sqrt((s[a * d + a] * s[b * d + b] + s[a * d + b] * s[a * d + b]) / n)), $"covariance {j}[{a},{b}]");
        }
    }

    /// <summary>The responsibilities EM returns are a distribution over components for every point.</summary>
    [TestCase("host")]
    [TestCase("cpu")]
    public void ResponsibilitiesOfEveryPointSumToOne(string backendName)
    {
        var fit = Fit(backendName, SyntheticMixture.Draw(SyntheticMixture.Truth, 500, seed: 9), 3, 5, 0);
        for (int n = 0; n < 500; n++)
            Assert.That(fit.Responsibilities.AsSpan(n * 3, 3).ToArray().Sum(), Is.EqualTo(1f).Within(1e-5f), $"point {n}");
    }

    [Test]
    public void InitialMeansAreDistinctDataPoints()
    {
        var points = new PointSet("test", [0, 0, 0, 0, 1, 1, 1, 1, 2, 2], 5, 2);
        var (start, ridge) = MixtureInitialisation.Create(points, 3, seed: 1);
        Assert.That(start.Means.Select(mean => (mean[0], mean[1])).Distinct().Count(), Is.EqualTo(3));
        Assert.That(start.Weights, Is.All.EqualTo(1.0 / 3));
        Assert.That(ridge, Is.EqualTo(1e-6 * 0.56).Within(1e-12), "1e-6 times the data's mean variance (0.56 per coordinate)");
    }

    [Test]
    public void FewerDistinctPointsThanComponentsIsRefused() =>
        Data.UserErrorAssert.Throws(() => MixtureInitialisation.Create(new PointSet("few.csv", [1, 1, 1, 1, 2, 2], 3, 2), 3, seed: 1),
            "few.csv", "fewer than 3 distinct points");
}
