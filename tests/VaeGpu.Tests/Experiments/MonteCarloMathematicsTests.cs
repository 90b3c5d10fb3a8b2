using VaeGpu.Host.Experiments.MonteCarlo;
using VaeGpu.Kernels;
using VaeGpu.Runtime.HostPath;

namespace VaeGpu.Tests.Experiments;

/// <summary>What the Monte Carlo estimates must satisfy: the truth inside their interval, and a 1/sqrt(N) standard error.</summary>
public class MonteCarloMathematicsTests
{
    static readonly HostBackend Host = new();

    public static IEnumerable<TestCaseData> IntegrandsAndSizes() =>
        from integrand in Enum.GetValues<GaussianIntegrand>()
        from samples in new long[] { 1_000, 100_000, 1_000_000 }
        select new TestCaseData(integrand, samples);

    /// <summary>
    /// The closed form lies within 5 standard errors of the estimate (the command's defaults, mu 0.5, sigma 1.5): for a
    /// mean that is normal to a good approximation that fails with probability 6e-7. Each (f, N) draws its own samples.
    /// </summary>
    [TestCaseSource(nameof(IntegrandsAndSizes))]
    public void ExactValueLiesWithinFiveStandardErrors(GaussianIntegrand integrand, long samples)
    {
        var estimate = new GaussianMonteCarlo(Host, 0.5f, 1.5f, seed: 1).Estimate(integrand, samples, run: (int)Math.Log10(samples));
        Assert.That(estimate.StandardError, Is.GreaterThan(0));
        Assert.That(estimate.AbsoluteError, Is.LessThanOrEqualTo(5 * estimate.StandardError),
            $"{GaussianExpectations.Formula(integrand)}: estimate {estimate.Estimate} +- {estimate.StandardError}, exact {estimate.Exact}");
    }

    /// <summary>
    /// SE(N) / SE(100 N) = 10 within 10%. The sample standard deviation at N = 10^5 has a relative error of about
    /// sqrt((kurtosis - 1) / N) / 2, largest for exp(z): with sigma 1 its kurtosis is e^4 + 2e^3 + 3e^2 - 3 = 114,
    /// giving 1.7%, so 10% is six of those. (With sigma 1.5 the kurtosis is 10^4 and 10^5 samples would not suffice.)
    /// </summary>
    [Test]
    public void StandardErrorFallsAsOneOverSquareRootOfN([Values] GaussianIntegrand integrand)
    {
        var monteCarlo = new GaussianMonteCarlo(Host, 0.5f, 1f, seed: 2);
        double small = monteCarlo.Estimate(integrand, 100_000, run: 5).StandardError;
        double large = monteCarlo.Estimate(integrand, 10_000_000, run: 7).StandardError;
        Assert.That(small / large, Is.EqualTo(10).Within(10).Percent);
    }

    [Test]
    public void ClosedFormsMatchQuadrature()
    {
        foreach (var integrand in Enum.GetValues<GaussianIntegrand>())
        {
            Func<double, double> f = integrand switch
            {
                GaussianIntegrand.Identity => z => z,
                GaussianIntegrand.Square => z => z * z,
                GaussianIntegrand.Exp => Math.Exp,
                GaussianIntegrand.Cos => Math.Cos,
                GaussianIntegrand.Positive => z => z > 0 ? 1 : 0,
                _ => z => z > 4 ? 1 : 0,
            };
            double density(double z) => MathNet.Numerics.Distributions.Normal.PDF(0.5, 1.5, z);
            // The indicators' jumps at 0 and 4 are end points: integrate each piece separately.
            double numeric = MathNet.Numerics.Integration.GaussLegendreRule.Integrate(z => f(z) * density(z), -20, 0, 256)
                + MathNet.Numerics.Integration.GaussLegendreRule.Integrate(z => f(z) * density(z), 0, 4, 256)
                + MathNet.Numerics.Integration.GaussLegendreRule.Integrate(z => f(z) * density(z), 4, 20, 256);
            Assert.That(GaussianExpectations.Exact(integrand, 0.5, 1.5), Is.EqualTo(numeric).Within(1e-9), integrand.ToString());
        }
    }

    [Test]
    public void SweepRunsOverPowersOfTenUpToTheCap()
    {
        Assert.That(GaussianMonteCarlo.SweepSizes(100_000_000).Select(s => s.Samples), Is.EqualTo(new long[] { 100, 1000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000 }));
        Assert.That(GaussianMonteCarlo.SweepSizes(5_000).Select(s => s.Exponent), Is.EqualTo(new[] { 2, 3 }));
    }
}
