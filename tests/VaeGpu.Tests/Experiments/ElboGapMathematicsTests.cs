using MathNet.Numerics.LinearAlgebra;
using VaeGpu.Host.Experiments.ElboGap;
using VaeGpu.Kernels;
using VaeGpu.Runtime.HostPath;

namespace VaeGpu.Tests.Experiments;

/// <summary>The linear-Gaussian closed forms, and the ELBO identity measured on the kernels.</summary>
public class ElboGapMathematicsTests
{
    const long Samples = 200_000;
    static readonly LinearGaussianModel Model = LinearGaussianModel.Draw(5, 2, 1f, seed: 1);
    static readonly Vector<double> X = Model.DrawObservation(seed: 1);

    /// <summary>Every candidate's estimate, computed once for all the tests that read them.</summary>
    static readonly Lazy<IReadOnlyList<ElboEstimate>> Rows = new(Estimate);

    static IReadOnlyList<ElboEstimate> Estimate()
    {
        var estimator = new ElboEstimator(new HostBackend(), Model, X, seed: 1);
        var (mean, covariance) = Model.Posterior(X);
        return [.. CandidatePosteriors.For(mean, covariance).Select((c, index) => estimator.Estimate(c.Name, c.Q, index, Samples))];
    }

    public static IEnumerable<string> Candidates => ["posterior", "cov x2", "cov x1/2", "mean field", "shifted", "prior"];

    static ElboEstimate Row(string name) => Rows.Value.Single(r => r.Name == name);

    /// <summary>
    /// log p(x) = ELBO(q) + KL(q || p(z|x)) within 5 standard errors (a 6e-7 chance of failing by sampling alone); where
    /// the term is constant (q = p(z|x)) within float rounding of the terms instead, which is then all the error there is.
    /// </summary>
    [TestCaseSource(nameof(Candidates))]
    public void ElboPlusKlIsLogMarginal(string candidate)
    {
        var row = Row(candidate);
        double tolerance = row.TermIsConstant ? ElboEstimate.FloatRounding * Math.Abs(row.LogMarginal) : 5 * row.StandardError;
        Assert.That(row.ElboPlusKl, Is.EqualTo(row.LogMarginal).Within(tolerance), $"ELBO {row.Elbo} +- {row.StandardError}, KL {row.Kl}");
    }

    /// <summary>ELBO <= log p(x), allowing 5 standard errors of sampling (and float rounding at the posterior, where the gap is 0).</summary>
    [TestCaseSource(nameof(Candidates))]
    public void ElboIsALowerBound(string candidate)
    {
        var row = Row(candidate);
        Assert.That(row.Elbo, Is.LessThanOrEqualTo(row.LogMarginal + 5 * row.StandardError + ElboEstimate.FloatRounding * Math.Abs(row.LogMarginal)));
        Assert.That(row.Kl, Is.GreaterThanOrEqualTo(-1e-12));
    }

    /// <summary>Only the exact posterior has a constant term; every other q has a spread far above rounding.</summary>
    [Test]
    public void OnlyTheExactPosteriorHasZeroVariance()
    {
        Assert.That(Rows.Value.Where(r => r.TermIsConstant).Select(r => r.Name), Is.EqualTo(new[] { "posterior" }));
        Assert.That(Row("posterior").Kl, Is.EqualTo(0).Within(1e-9));
        Assert.That(Row("posterior").TermStandardDeviation, Is.LessThan(1e-5));
        Assert.That(Rows.Value.Where(r => !r.TermIsConstant).Select(r => r.TermStandardDeviation), Is.All.GreaterThan(1e-2));
    }

    /// <summary>
    /// Under each coupled sampler (16 replicates of 12,500 points) the identity holds within 6 standard errors of the
    /// replicates' spread (t with 15 degrees of freedom: a 2e-5 chance per row of failing by sampling alone), or within
    /// rounding where the estimate is exact; RQMC's scrambled Sobol sets cut every sampled row's variance over 100-fold,
    /// and antithetic pairs make the shifted q's estimate exact (its term is linear in eps, so odd around q's mean).
    /// </summary>
    [TestCase(Sampler.Antithetic)]
    [TestCase(Sampler.Stratified)]
    [TestCase(Sampler.Rqmc)]
    public void CoupledDrawsKeepTheIdentity(Sampler sampler)
    {
        var estimator = new ElboEstimator(new HostBackend(), Model, X, seed: 1);
        var (mean, covariance) = Model.Posterior(X);
        var rows = CandidatePosteriors.For(mean, covariance).Select((c, index) => estimator.Estimate(c.Name, c.Q, index, Samples, sampler, 16)).ToList();
        foreach (var row in rows)
        {
            double tolerance = row.EstimateIsExact ? ElboEstimate.FloatRounding * Math.Abs(row.LogMarginal) : 6 * row.StandardError;
            Assert.That(row.ElboPlusKl, Is.EqualTo(row.LogMarginal).Within(tolerance), $"{row.Name}: ELBO {row.Elbo} +- {row.StandardError}, KL {row.Kl}");
        }
        if (sampler == Sampler.Rqmc)
            Assert.That(rows.Where(r => !r.EstimateIsExact).Select(r => r.VarianceReduction), Is.All.GreaterThan(100));
        if (sampler == Sampler.Antithetic)
            Assert.That(rows.Where(r => r.EstimateIsExact).Select(r => r.Name), Is.EquivalentTo(new[] { "posterior", "shifted" }));
    }

    /// <summary>The closed-form log p(x) against MathNet's matrix normal density (a d x 1 matrix normal is N(b, C)).</summary>
    [Test]
    public void LogMarginalMatchesMathNetDensity()
    {
        var covariance = Model.Weights * Model.Weights.Transpose() + Model.NoiseVariance * Matrix<double>.Build.DenseIdentity(Model.Observed);
        var density = new MathNet.Numerics.Distributions.MatrixNormal(Model.Bias.ToColumnMatrix(), covariance, Matrix<double>.Build.DenseIdentity(1));
        Assert.That(Model.LogMarginal(X), Is.EqualTo(Math.Log(density.Density(X.ToColumnMatrix()))).Within(1e-9));
    }

    /// <summary>The closed-form log p(x) against log of the integral of p(x|z) p(z) over z, by 2-D Gauss-Legendre quadrature over +-10.</summary>
    [Test]
    public void LogMarginalMatchesQuadratureOverZ()
    {
        double numeric = MathNet.Numerics.Integration.GaussLegendreRule.Integrate(
            (a, b) => Math.Exp(Model.LogJoint(X, Vector<double>.Build.Dense([a, b]))), -10, 10, -10, 10, 128);
        Assert.That(Model.LogMarginal(X), Is.EqualTo(Math.Log(numeric)).Within(1e-8));
    }

    /// <summary>Bayes: log p(x, z) - log p(z|x) = log p(x) at every z, which checks the posterior's mean and covariance.</summary>
    [Test]
    public void PosteriorSatisfiesBayesRule()
    {
        var (mean, covariance) = Model.Posterior(X);
        foreach (var z in new[] { Vector<double>.Build.Dense([0.0, 0.0]), Vector<double>.Build.Dense([1.5, -2.0]), mean })
        {
            var residual = z - mean;
            double logPosterior = -0.5 * (2 * Math.Log(2 * Math.PI) + Math.Log(covariance.Determinant()) + residual.DotProduct(covariance.Inverse() * residual));
            Assert.That(Model.LogJoint(X, z) - logPosterior, Is.EqualTo(Model.LogMarginal(X)).Within(1e-9));
        }
    }

    /// <summary>The closed-form KL against a Monte Carlo average of log q - log p over 10^5 draws from q, in double (5 SE).</summary>
    [Test]
    public void KlDivergenceMatchesSampling()
    {
        var (mean, covariance) = Model.Posterior(X);
        var p = Gaussian.RoundedToFloat(mean, covariance);
        var q = Gaussian.RoundedToFloat(mean + Vector<double>.Build.Dense([0.3, -0.2]), 1.7 * covariance);
        var normal = new MathNet.Numerics.Distributions.Normal(0, 1, new Random(5));
        double[] differences = [.. Enumerable.Range(0, 100_000).Select(_ =>
        {
            var z = q.Mean + q.Factor * Vector<double>.Build.Dense(2, _ => normal.Sample());
            return q.LogDensity(z) - p.LogDensity(z);
        })];
        double average = differences.Average();
        double standardError = Math.Sqrt(differences.Sum(v => (v - average) * (v - average)) / (differences.Length - 1) / differences.Length);
        Assert.That(q.KlDivergence(p), Is.EqualTo(average).Within(5 * standardError));
    }
}
