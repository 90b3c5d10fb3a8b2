using VaeGpu.Host.Names;
using VaeGpu.Host.Files;
using VaeGpu.Host.Experiments.MonteCarlo;
using VaeGpu.Host.Experiments.GradientEstimators;
using VaeGpu.Kernels;

namespace VaeGpu.Tests.Experiments;

/// <summary>
/// The mathematics of `vaegpu variance gaussian` on the host path: the quadrature against closed forms, every
/// estimator's sampled mean and variance against the quadrature's, and shards merged against the single run. Means
/// must lie within 4 standard errors of the exact gradient (sqrt(exact variance / N)); sample variances within 5
/// standard errors of a sample variance, sqrt((m4 - var^2) / N) from the exact fourth central moment. With 60 such
/// checks and fixed seeds, a false alarm would need a 4-sigma draw (6e-5 each).
/// </summary>
public class VarianceMathematicsTests
{
    const long Samples = 1 << 20;
    const ulong Seed = 11;

    static IBackend Host => Backends.Get("host");

    public static IEnumerable<TestCaseData> Settings()
    {
        foreach (float k in new[] { -2f, 0.5f, 3f }) yield return Case(GradientEstimatorCost.Quadratic, k, 1, 1);
        foreach (float k in new[] { 0.1f, 1f, 10f }) yield return Case(GradientEstimatorCost.Exp, k, 1, 1);
        foreach (float k in new[] { 0.3f, 1f, 5f }) yield return Case(GradientEstimatorCost.Cos, k, 1, 1);
        yield return Case(GradientEstimatorCost.Cos, 2f, 0.3f, 0.7f);
        yield return Case(GradientEstimatorCost.Quadratic, 1f, -0.5f, 2f);
    }

    static TestCaseData Case(GradientEstimatorCost cost, float k, float mu, float sigma) =>
        new TestCaseData(cost, k, mu, sigma).SetArgDisplayNames($"{Vocabulary.Costs.Name(cost)} k={k} mu={mu} sigma={sigma}");

    /// <summary>
    /// Closed forms: quadratic E f = (mu - k)^2 + sigma^2; exp E f = D^(-1/2) exp(-k mu^2 / D) with D = 1 + 2 k sigma^2;
    /// cos E f = cos(k mu) exp(-k^2 sigma^2 / 2); their derivatives in mu and sigma, to 1e-10.
    /// </summary>
    [TestCaseSource(nameof(Settings))]
    public void QuadratureGivesTheClosedFormGradients(GradientEstimatorCost cost, float k, float mu, float sigma)
    {
        var exact = GradientQuadrature.Solve(cost, k, mu, sigma);
        double m = mu, s = sigma, kk = k;
        (double dMu, double dSigma) = cost switch
        {
            GradientEstimatorCost.Quadratic => (2 * (m - kk), 2 * s),
            GradientEstimatorCost.Exp => ExpGradients(kk, m, s),
            _ => (-kk * Math.Sin(kk * m) * Math.Exp(-kk * kk * s * s / 2), -kk * kk * s * Math.Cos(kk * m) * Math.Exp(-kk * kk * s * s / 2)),
        };
        Assert.That(exact.Mu, Is.EqualTo(dMu).Within(1e-10 * (1 + Math.Abs(dMu))));
        Assert.That(exact.Sigma, Is.EqualTo(dSigma).Within(1e-10 * (1 + Math.Abs(dSigma))));
        // Every estimator is unbiased, so the quadrature of each gives the same gradient.
        foreach (var estimator in GaussianGradientExperiment.Estimators)
        {
            Assert.That(exact.For(estimator, GradientParameter.Mu).Mean, Is.EqualTo(dMu).Within(1e-9 * (1 + Math.Abs(dMu))), Vocabulary.Estimators.Name(estimator));
            Assert.That(exact.For(estimator, GradientParameter.Sigma).Mean, Is.EqualTo(dSigma).Within(1e-9 * (1 + Math.Abs(dSigma))), Vocabulary.Estimators.Name(estimator));
        }
    }

    static (double, double) ExpGradients(double k, double mu, double sigma)
    {
        double d = 1 + 2 * k * sigma * sigma, value = Math.Exp(-k * mu * mu / d) / Math.Sqrt(d);
        return (-2 * k * mu / d * value, value * (-2 * k * sigma / d + 4 * k * k * mu * mu * sigma / (d * d)));
    }

    /// <summary>
    /// For f = (x - k)^2 the path-wise estimators are 2(x - k) and 2(x - k) eps: variances 4 sigma^2 and
    /// 4 (mu - k)^2 + 8 sigma^2; the score function's mu estimator (x - k)^2 eps / sigma has E[g^2] =
    /// ((mu - k)^4 + 18 (mu - k)^2 sigma^2 + 15 sigma^4) / sigma^2 (normal moments up to the sixth).
    /// </summary>
    [Test]
    public void QuadraticCostVariancesHaveClosedForms()
    {
        double k = 0.5, mu = 1.5, sigma = 0.8, a = mu - k;
        var exact = GradientQuadrature.Solve(GradientEstimatorCost.Quadratic, k, mu, sigma);
        Assert.That(exact.For(GradientEstimator.Pathwise, GradientParameter.Mu).Variance, Is.EqualTo(4 * sigma * sigma).Within(1e-10));
        Assert.That(exact.For(GradientEstimator.Pathwise, GradientParameter.Sigma).Variance, Is.EqualTo(4 * a * a + 8 * sigma * sigma).Within(1e-10));
        double scoreSecondMoment = (Math.Pow(a, 4) + 18 * a * a * sigma * sigma + 15 * Math.Pow(sigma, 4)) / (sigma * sigma);
        Assert.That(exact.For(GradientEstimator.Score, GradientParameter.Mu).Variance, Is.EqualTo(scoreSecondMoment - 4 * a * a).Within(1e-9));
    }

    [TestCaseSource(nameof(Settings))]
    public void EstimatorsAreUnbiasedWithTheQuadratureVariance(GradientEstimatorCost cost, float k, float mu, float sigma)
    {
        var settings = new GaussianVarianceSettings(cost, k, mu, sigma, Samples, Seed);
        var exact = GradientQuadrature.Solve(cost, k, mu, sigma);
        var experiment = new GaussianGradientExperiment(Host, settings);
        foreach (var statistics in experiment.Run(ShardSlice.Whole))
            foreach (var parameter in Enum.GetValues<GradientParameter>())
            {
                string name = $"{Vocabulary.Estimators.Name(statistics.Estimator)} d/d{VarianceVocabulary.Parameters.Name(parameter)}";
                var sampled = statistics.For(parameter);
                var moments = exact.For(statistics.Estimator, parameter);
                Assert.That(sampled.Count, Is.EqualTo(Samples));
                // Plus float rounding: the delta-method estimator of a quadratic f has variance 0, its float terms do not.
                double rounding = 1e-6 * (1 + Math.Abs(exact.Gradient(parameter)));
                Assert.That(sampled.Mean, Is.EqualTo(exact.Gradient(parameter)).Within(4 * Math.Sqrt(moments.Variance / Samples) + rounding), $"{name}: mean");
                // The run's baseline b is sampled; Var((f - b) s) = Var((f - b*) s) + (b - b*)^2 E[s^2] exactly, as
                // Cov((f - b*) s, s) = 0 is what makes b* optimal. E[s_mu^2] = 1 / sigma^2, E[s_sigma^2] = 2 / sigma^2.
                double shift = 0;
                if (statistics.Estimator == GradientEstimator.ScoreBaseline)
                    shift = parameter == GradientParameter.Mu
                        ? Math.Pow(experiment.BaselineMu - exact.BaselineMu, 2) / (sigma * sigma)
                        : 2 * Math.Pow(experiment.BaselineSigma - exact.BaselineSigma, 2) / (sigma * sigma);
                Assert.That(sampled.Variance, Is.EqualTo(moments.Variance + shift).Within(5 * moments.VarianceStandardError(Samples) + rounding * rounding), $"{name}: variance");
            }
    }

    /// <summary>
    /// Miller et al.'s delta-method control variate makes the path-wise estimator exact for a quadratic f (its
    /// first-order expansion of f' is f' itself), and cuts its variance for smooth costs where q is narrow against f's
    /// curvature (sigma 0.2 here; with a wide q the expansion is poor and the control variate can add variance: at
    /// exp(-0.7 x^2), mu 0.4, sigma 0.5 it doubles d/dsigma's).
    /// </summary>
    [Test]
    public void TheDeltaMethodControlVariateIsExactForAQuadraticAndReducesVarianceOtherwise()
    {
        var quadratic = GradientQuadrature.Solve(GradientEstimatorCost.Quadratic, 0.5, 1, 1.3);
        foreach (var parameter in Enum.GetValues<GradientParameter>())
        {
            Assert.That(quadratic.For(GradientEstimator.DeltaPathwise, parameter).Variance, Is.LessThan(1e-20), VarianceVocabulary.Parameters.Name(parameter));
            Assert.That(quadratic.For(GradientEstimator.DeltaPathwise, parameter).Mean, Is.EqualTo(quadratic.Gradient(parameter)).Within(1e-9));
        }
        foreach (var cost in new[] { GradientEstimatorCost.Exp, GradientEstimatorCost.Cos })
        {
            var exact = GradientQuadrature.Solve(cost, 0.5, 0.4, 0.2);
            foreach (var parameter in Enum.GetValues<GradientParameter>())
            {
                Assert.That(exact.For(GradientEstimator.DeltaPathwise, parameter).Mean, Is.EqualTo(exact.Gradient(parameter)).Within(1e-9), $"{cost} unbiased");
                Assert.That(exact.For(GradientEstimator.DeltaPathwise, parameter).Variance, Is.LessThan(exact.For(GradientEstimator.Pathwise, parameter).Variance),
                    $"{cost} d/d{VarianceVocabulary.Parameters.Name(parameter)}");
            }
        }
    }

    /// <summary>
    /// The pay-off the testbed exists to show, at f = (x - k)^2 with k = mu: the optimal baseline cuts the score
    /// function's variance, and the path-wise estimator's is lower still (15 > 6 > 4 for d/dmu at sigma = 1).
    /// </summary>
    [Test]
    public void BaselineAndPathwiseReduceTheScoreFunctionsVariance()
    {
        var exact = GradientQuadrature.Solve(GradientEstimatorCost.Quadratic, 1, 1, 1);
        foreach (var parameter in Enum.GetValues<GradientParameter>())
        {
            double score = exact.For(GradientEstimator.Score, parameter).Variance;
            double baseline = exact.For(GradientEstimator.ScoreBaseline, parameter).Variance;
            double pathwise = exact.For(GradientEstimator.Pathwise, parameter).Variance;
            Assert.That(baseline, Is.LessThan(score));
            Assert.That(pathwise, Is.LessThan(baseline));
        }
        Assert.That(exact.For(GradientEstimator.Score, GradientParameter.Mu).Variance, Is.EqualTo(15).Within(1e-9));
        Assert.That(exact.For(GradientEstimator.ScoreBaseline, GradientParameter.Mu).Variance, Is.EqualTo(6).Within(1e-9));
    }

    /// <summary>
    /// Shards on a chunk grid of 4096 over 50 000 samples (13 chunks; 20 shards leave some empty) reduce exactly the
    /// chunks the single run reduces, so their merge differs from it only by double rounding: 1e-9 relative.
    /// </summary>
    [TestCase(3)]
    [TestCase(20)]
    public void MergedShardsEqualTheSingleRun(int shards)
    {
        var settings = new GaussianVarianceSettings(GradientEstimatorCost.Exp, 0.7f, 0.4f, 1.3f, 50_000, Seed);
        var experiment = new GaussianGradientExperiment(Host, settings, chunkLength: 4096);
        var whole = experiment.Run(ShardSlice.Whole);
        var files = Enumerable.Range(0, shards)
            .Select(i => ($"shard {i}", new VarianceShardFile(settings, new ShardSlice(i, shards), 4096, experiment.Run(new ShardSlice(i, shards))))).ToList();
        var (mergedSettings, merged) = VarianceShardMerge.Merge(files);

        Assert.That(mergedSettings, Is.EqualTo(settings));
        for (int e = 0; e < whole.Count; e++)
            foreach (var parameter in Enum.GetValues<GradientParameter>())
            {
                TermStatistics single = whole[e].For(parameter), combined = merged[e].For(parameter);
                Assert.That(combined.Count, Is.EqualTo(single.Count));
                Assert.That(combined.Mean, Is.EqualTo(single.Mean).Within(1e-9 * Math.Abs(single.Mean)));
                Assert.That(combined.Variance, Is.EqualTo(single.Variance).Within(1e-9 * single.Variance));
            }
    }

    [Test]
    public void ShardSlicesCoverTheSamplesOnceInOrder()
    {
        foreach (long samples in new long[] { 1, 5, 4096, 4097, 50_000 })
            foreach (int count in new[] { 1, 2, 3, 7, 20 })
            {
                long next = 0;
                for (int i = 0; i < count; i++)
                {
                    var (first, length) = new ShardSlice(i, count).Range(samples, 4096);
                    if (length > 0) Assert.That(first, Is.EqualTo(next), $"N {samples}, shard {i}/{count}");
                    Assert.That(first % 4096, Is.Zero);
                    next += length;
                }
                Assert.That(next, Is.EqualTo(samples), $"N {samples}, {count} shards");
            }
    }

    [TestCase("3/2")]
    [TestCase("2/2")]
    [TestCase("-1/2")]
    [TestCase("1/0")]
    [TestCase("1")]
    [TestCase("a/b")]
    public void ShardTextMustBeAnIndexBelowTheCount(string text) =>
        Assert.That(() => ShardSlice.Parse(text), Throws.InstanceOf<InvalidSettingException>().With.Property(nameof(InvalidSettingException.ParamName)).EqualTo(ShardSlice.Shard).And.Message.Contain($"Shard {text}: write i/n"));

    /// <summary>Chan et al.'s merge of two halves against the two-pass statistics of the whole, to 1e-12 relative.</summary>
    [Test]
    public void TermStatisticsMergeIsTheStatisticsOfTheUnion()
    {
        var random = new Random(3);
        double[] values = [.. Enumerable.Range(0, 1001).Select(_ => 5 + 2 * random.NextDouble())];
        TermStatistics Of(IEnumerable<double> part)
        {
            double[] data = [.. part];
            var moments = data.Aggregate(new SampleMoments(), (m, v) => m.Add(1, v - 5, (v - 5) * (v - 5)));
            return TermStatistics.FromCentred(moments, 5);
        }
        var merged = Of(values.Take(300)).Merge(Of(values.Skip(300)));
        double mean = values.Average(), variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1);
        Assert.That(merged.Count, Is.EqualTo(1001));
        Assert.That(merged.Mean, Is.EqualTo(mean).Within(1e-12 * mean));
        Assert.That(merged.Variance, Is.EqualTo(variance).Within(1e-12 * variance));
        Assert.That(merged.Merge(default), Is.EqualTo(merged));
    }
}
