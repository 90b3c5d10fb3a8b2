using MathNet.Numerics.Distributions;
using VaeGpu.Host.Experiments.GradientEstimators;
using VaeGpu.Kernels;
using VaeGpu.Runtime.Experiments.GradientEstimators;

namespace VaeGpu.Tests.Experiments;

/// <summary>
/// The Gaussian testbed's estimators under the antithetic, stratified and RQMC samplers: the terms against a double
/// reference built from SamplingReference and MathNet's inverse normal on every backend; antithetic pairs exact for a
/// term odd about the mean; every pair unbiased, and stratified and RQMC far below plain Monte Carlo's variance on a
/// smooth cost.
/// </summary>
public class SampledGradientTests
{
    const ulong Seed = 5, Stream = 9;
    static readonly Sampler[] Samplers = [Sampler.Antithetic, Sampler.Stratified, Sampler.Rqmc];

    static IEnumerable<TestCaseData> Cases() =>
        from backend in Backends.All
        from sampler in Samplers
        from estimator in SampledGradientExperiment.Estimators
        select new TestCaseData(backend, sampler, estimator);

    /// <summary>Points 96 .. 1119 of replicate 2 of 4096, a slice as the reducer's chunks take them.</summary>
    [TestCaseSource(nameof(Cases))]
    public void SampledTermsMatchAnIndependentReference(string backendName, Sampler sampler, GradientEstimator estimator)
    {
        var backend = Backends.Get(backendName);
        const int Count = 1024, Replicate = 2, Points = 4096, First = 96;
        var problem = new GradientEstimatorProblem(GradientEstimatorCost.Cos, 1.5f, 0.5f, 1.25f);
        var terms = backend.Allocate(2, Count);
        GradientEstimatorOperations.For(backend).SampledTerms(estimator, sampler, problem, 0.75f, -0.5f, 0.25f, 0.125f, Seed, Stream, Replicate, Points, First, terms);

        float[] actual = backend.Download(terms);
        double baselineMu = estimator == GradientEstimator.ScoreBaseline ? 0.75 : 0, baselineSigma = estimator == GradientEstimator.ScoreBaseline ? -0.5 : 0;
        (double, double) At(double eps) => GradientEstimatorExact.Estimate(estimator, GradientEstimatorCost.Cos, 1.5, 0.5, 1.25, eps, baselineMu, baselineSigma);
        for (int i = 0; i < Count; i++)
        {
            long point = First + i;
            double mu, sigma;
            if (estimator == GradientEstimator.MeasureValued) (mu, sigma) = MeasureValuedAt(sampler, problem, Replicate, Points, point);
            else if (sampler == Sampler.Antithetic)
            {
                double eps = RandomMath.NormalAt(Seed, Stream, Replicate * Points + point);
                var (plus, minus) = (At(eps), At(-eps));
                (mu, sigma) = ((plus.Item1 + minus.Item1) / 2, (plus.Item2 + minus.Item2) / 2);
            }
            else (mu, sigma) = At(Normal.InvCDF(0, 1, SamplingReference.PointUniform(sampler, Seed, Stream, Replicate, Points, point)));
            Assert.That(actual[i], Is.EqualTo(mu - 0.25).Within(2e-4 * (1 + Math.Abs(mu))), $"point {point} d/dmu");
            Assert.That(actual[Count + i], Is.EqualTo(sigma - 0.125).Within(2e-4 * (1 + Math.Abs(sigma))), $"point {point} d/dsigma");
        }
    }

    /// <summary>
    /// The measure-valued terms of a point, in double, from its four uniforms as each sampler's reference gives them: the
    /// Philox block's u and 1 - u (antithetic), the Latin hypercube's coordinates (stratified), Joe-Kuo points
    /// scrambled bit by bit (rqmc).
    /// </summary>
    static (double Mu, double Sigma) MeasureValuedAt(Sampler sampler, GradientEstimatorProblem problem, int replicate, long points, long point)
    {
        (double, double) At(double[] u) => GradientEstimatorExact.MeasureValuedAtUniforms((GradientEstimatorCost)problem.Cost, problem.K, problem.Mu, problem.Sigma, u[0], u[1], u[2], u[3]);
        long first = (replicate * points + point) * 4;
        if (sampler == Sampler.Antithetic)
        {
            var bits = Philox4x32.ForBlock(Seed, Stream, replicate * points + point);
            double[] u = [.. Enumerable.Range(0, 4).Select(lane => (double)RandomMath.Uniform(bits[lane]))];
            var (plus, minus) = (At(u), At([.. u.Select(v => 1 - v + 1.0 / 16777216)]));
            return ((plus.Item1 + minus.Item1) / 2, (plus.Item2 + minus.Item2) / 2);
        }
        if (sampler == Sampler.Stratified)
        {
            var draws = new StratifiedDraws(Seed, Stream, 4, (int)points);
            return At([.. Enumerable.Range(0, 4).Select(d => (double)draws.Uniform(first + d, out _))]);
        }
        return At([.. Enumerable.Range(0, 4).Select(d => SamplingReference.SobolDrawUniform(Seed, Stream, 4, (int)points, first + d))]);
    }

    /// <summary>For (x - k)^2 the path-wise d/dmu term 2 (x - k) is linear in eps: each antithetic pair's mean is the gradient itself.</summary>
    [Test]
    public void AntitheticPairsMakeALinearTermExact()
    {
        var settings = new GaussianVarianceSettings(GradientEstimatorCost.Quadratic, 0.5f, 1.5f, 0.8f, 1 << 16, 3);
        var result = new SampledGradientExperiment(Backends.Get("host"), settings, Sampler.Antithetic, 16).Run(GradientEstimator.Pathwise);
        Assert.That(result.Mu.Mean, Is.EqualTo(2.0).Within(1e-5));
        Assert.That(result.Mu.VariancePerDraw, Is.LessThan(1e-8), "against plain Monte Carlo's 4 sigma^2 = 2.56");
    }

    /// <summary>
    /// On cos(x) (smooth) with 2^18 normals in 16 replicates: every estimator's mean within 5 standard errors of the exact
    /// gradient (plus 1e-5 relative: the float inverse normal and sums), and stratified and RQMC reduce the path-wise
    /// estimator's variance per draw more than 100-fold against plain Monte Carlo's exact variance.
    /// </summary>
    [TestCase(Sampler.Antithetic)]
    [TestCase(Sampler.Stratified)]
    [TestCase(Sampler.Rqmc)]
    public void EverySamplerIsUnbiasedAndTheNetsReduceVariance(Sampler sampler)
    {
        var settings = new GaussianVarianceSettings(GradientEstimatorCost.Cos, 1f, 1f, 1f, 1 << 18, 7);
        var exact = GradientQuadrature.Solve(settings.Cost, settings.K, settings.Mu, settings.Sigma);
        var experiment = new SampledGradientExperiment(Backends.Get("host"), settings, sampler, 16);
        Assert.That(experiment.Draws, Is.EqualTo(1 << 18));
        foreach (var row in experiment.Run())
            foreach (var parameter in Enum.GetValues<GradientParameter>())
            {
                var s = row.For(parameter);
                double gradient = exact.Gradient(parameter);
                Assert.That(s.Mean, Is.EqualTo(gradient).Within(5 * s.StandardError + 1e-5 * Math.Abs(gradient)), $"{row.Estimator} d/d{parameter}");
                if (sampler != Sampler.Antithetic && row.Estimator == GradientEstimator.Pathwise)
                    Assert.That(s.VariancePerDraw, Is.LessThan(exact.For(row.Estimator, parameter).Variance / 100), $"{row.Estimator} d/d{parameter}");
            }
    }
}
