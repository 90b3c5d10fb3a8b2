using VaeGpu.Host.Experiments.MonteCarlo;
using VaeGpu.Kernels;

namespace VaeGpu.Tests.Experiments;

/// <summary>
/// `vaegpu mc --proposal`: importance sampling from q = p is plain Monte Carlo with weights 1 (ESS = N); from a
/// proposal in the tail it estimates the rare event 1[z > 4] within its error bar and with a standard error over 50
/// times smaller than Monte Carlo's; the plain estimator is unbiased; bad proposals are one-line errors.
/// </summary>
public class ImportanceSamplingTests
{
    [TestCaseSource(typeof(Backends), nameof(Backends.All))]
    public void AProposalEqualToPIsPlainMonteCarloWithEveryWeightOne(string backendName)
    {
        var monteCarlo = new GaussianMonteCarlo(Backends.Get(backendName), 0.5f, 1.5f, 3);
        const long N = 50_000;
        var importance = monteCarlo.ImportanceEstimate(GaussianIntegrand.Cos, N, 1, 0.5f, 1.5f);
        var plain = monteCarlo.Estimate(GaussianIntegrand.Cos, N, 1);
        Assert.That(importance.Plain, Is.EqualTo(plain.Estimate).Within(1e-5), "the same draws, weights 1");
        Assert.That(importance.SelfNormalised, Is.EqualTo(importance.Plain).Within(1e-5));
        Assert.That(importance.EffectiveSampleSize, Is.EqualTo((double)N).Within(1e-4 * N));
        Assert.That(importance.PlainStandardError, Is.EqualTo(plain.StandardError).Within(1e-3 * plain.StandardError));
    }

    [Test]
    public void ATailProposalEstimatesTheRareEventOrdersOfMagnitudeBetter()
    {
        var monteCarlo = new GaussianMonteCarlo(Backends.Get("host"), 0f, 1f, 7);
        const long N = 1 << 20;
        var importance = monteCarlo.ImportanceEstimate(GaussianIntegrand.Above4, N, 2, 4.5f, 1f);
        double exact = importance.Exact, monteCarloError = Math.Sqrt(exact * (1 - exact) / N);
        Assert.That(exact, Is.EqualTo(3.167e-5).Within(1e-8));
        Assert.That(importance.Plain, Is.EqualTo(exact).Within(4 * importance.PlainStandardError));
        // Measured: 6.8e-8 against Monte Carlo's 5.5e-6, a variance 6,500 times smaller.
        Assert.That(importance.PlainStandardError, Is.LessThan(monteCarloError / 50), "variance over 2,500 times smaller");
        Assert.That(importance.SelfNormalised, Is.EqualTo(exact).Within(4 * importance.SelfNormalisedStandardError));
        Assert.That(importance.EffectiveSampleSize, Is.LessThan(N / 100.0), "most weights are tiny: q is far from p");
    }

    [Test]
    public void PlainImportanceSamplingIsUnbiased()
    {
        var estimates = Enumerable.Range(0, 40).Select(seed =>
            new GaussianMonteCarlo(Backends.Get("host"), 0.2f, 0.8f, (ulong)seed + 50).ImportanceEstimate(GaussianIntegrand.Exp, 4096, 3, 0.6f, 1.1f).Plain).ToArray();
        double mean = estimates.Average(), spread = Math.Sqrt(estimates.Sum(e => (e - mean) * (e - mean)) / (estimates.Length - 1) / estimates.Length);
        Assert.That(mean, Is.EqualTo(Math.Exp(0.2 + 0.32)).Within(4 * spread));
    }

    [TestCase("1,0", "standard deviation must be above 0")]
    [TestCase("1,-2", "standard deviation must be above 0")]
    [TestCase("abc", "write MU,SIGMA")]
    [TestCase("1,2,3", "write MU,SIGMA")]
    public void ABadProposalIsRefusedInOneLine(string proposal, string fragment)
    {
        using var folder = new Data.TemporaryFolder();
        Assert.That(VaegpuProcess.RunExpectingUserError("mc", "--proposal", proposal, "--out", folder.File("run")), Does.Contain(fragment));
        Assert.That(Directory.Exists(folder.File("run")), Is.False);
    }

    [Test]
    public void AProposalWithAnotherSamplerIsRefused()
    {
        using var folder = new Data.TemporaryFolder();
        Assert.That(VaegpuProcess.RunExpectingUserError("mc", "--proposal", "4,1", "--sampler", "rqmc", "--out", folder.File("run")), Does.Contain("--proposal with --sampler rqmc"));
    }
}
