using VaeGpu.Kernels;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.Integration;
using VaeGpu.Host.Experiments.KlFit;
using VaeGpu.Runtime.Experiments.KlFit;

namespace VaeGpu.Tests.Experiments;

/// <summary>
/// The mathematics of `vaegpu kl-fit` on the host path: the mixture sampler, the forward-KL fits against the mixture's
/// exact moments, the reverse-KL fits against the modes, and the two reverse-KL gradient estimators against each other
/// and against quadrature. Monte Carlo tolerances are 5 standard errors (a false alarm about once in 1.7 million).
/// </summary>
public class KlFitMathematicsTests
{
    static readonly TargetMixture Bimodal = new([0.5, 0.5], [-2, 2], [0.6, 0.6]);
    static readonly TargetMixture Lopsided = new([0.3, 0.7], [-1, 3], [0.5, 1.0]);
    const ulong Seed = 7;

    static IBackend Host => Backends.Get("host");
    static IKlFitOperations Operations => KlFitTests.Operations("host");

    public static IEnumerable<TestCaseData> Targets()
    {
        yield return new TestCaseData(Bimodal).SetArgDisplayNames("bimodal");
        yield return new TestCaseData(Lopsided).SetArgDisplayNames("lopsided");
    }

    /// <summary>Kolmogorov-Smirnov against the mixture's CDF: 1.95 / sqrt(N) is the 0.1 % critical value.</summary>
    [TestCaseSource(nameof(Targets))]
    public void SamplerFollowsTheMixture(TargetMixture target)
    {
        const int count = 100_000;
        var samples = Host.Allocate(1, count);
        Operations.SampleMixture(target.Kernel, Seed, 3, 0, samples);
        double[] sorted = [.. Host.Download(samples).Select(x => (double)x).Order()];
        double Cdf(double x) => Enumerable.Range(0, target.Weights.Length).Sum(k => target.Weights[k] * Normal.CDF(target.Means[k], target.StandardDeviations[k], x));
        double distance = Enumerable.Range(0, count).Max(i => Math.Max(Math.Abs((i + 1.0) / count - Cdf(sorted[i])), Math.Abs((double)i / count - Cdf(sorted[i]))));
        Assert.That(distance, Is.LessThan(1.95 / Math.Sqrt(count)));
    }

    /// <summary>
    /// The closed-form fit from N samples estimates the mixture's mean with standard error sqrt(Var / N) and its variance
    /// with sqrt((mu4 - Var^2) / N), mu4 the fourth central moment.
    /// </summary>
    [TestCaseSource(nameof(Targets))]
    public void ClosedFormForwardFitMatchesTheMixtureMoments(TargetMixture target)
    {
        const long samples = 3 * ClosedFormForwardFit.ChunkSize / 2; // two chunks, the second partial
        var fit = ClosedFormForwardFit.Fit(Host, Operations, target, samples, Seed);
        var (meanError, varianceError) = StandardErrors(target, samples);
        Assert.That(fit.Mu, Is.EqualTo(target.Mean).Within(5 * meanError));
        Assert.That(fit.Sigma * fit.Sigma, Is.EqualTo(target.Variance).Within(5 * varianceError));
    }

    /// <summary>
    /// SGD on forward KL converges to the mixture's moments. Tolerance: 5 standard errors of the estimate from a single
    /// minibatch; the last iterate, after the decayed steps, averages many minibatches, so this bound is conservative.
    /// The closed-form fit must agree with it to the same tolerance.
    /// </summary>
    [TestCaseSource(nameof(Targets))]
    public void ForwardSgdFitMatchesTheMixtureMomentsAndTheClosedForm(TargetMixture target)
    {
        const int batch = 1024;
        var fit = StochasticKlFit.Fit(Host, Operations, target, KlGradient.Forward, 0.5, 1.0, iterations: 2000, batch, learningRate: 0.05, Seed);
        var closedForm = ClosedFormForwardFit.Fit(Host, Operations, target, 1 << 20, Seed);
        var (meanError, varianceError) = StandardErrors(target, batch);
        Assert.That(fit.Mu, Is.EqualTo(target.Mean).Within(5 * meanError));
        Assert.That(fit.Sigma * fit.Sigma, Is.EqualTo(target.Variance).Within(5 * varianceError));
        Assert.That(fit.Mu, Is.EqualTo(closedForm.Mu).Within(5 * meanError));
        Assert.That(fit.Sigma * fit.Sigma, Is.EqualTo(closedForm.Sigma * closedForm.Sigma).Within(5 * varianceError));
    }

    /// <summary>
    /// Reverse KL is mode-seeking: from a start on either side, q settles on the nearer mode, N(+-2, 0.6^2) (the other
    /// mode's mass under q is below e^-20, so the optimum is that component to many digits). Tolerance 0.15 in mu and sigma.
    /// </summary>
    [TestCase(GradientEstimator.Score, -4.0, -2.0)]
    [TestCase(GradientEstimator.Score, -1.0, -2.0)]
    [TestCase(GradientEstimator.Score, 1.0, 2.0)]
    [TestCase(GradientEstimator.Score, 4.0, 2.0)]
    [TestCase(GradientEstimator.Pathwise, -4.0, -2.0)]
    [TestCase(GradientEstimator.Pathwise, -1.0, -2.0)]
    [TestCase(GradientEstimator.Pathwise, 1.0, 2.0)]
    [TestCase(GradientEstimator.Pathwise, 4.0, 2.0)]
    public void ReverseFitSettlesOnTheNearerMode(GradientEstimator estimator, double start, double mode)
    {
        var fit = StochasticKlFit.Fit(Host, Operations, Bimodal, new KlGradient(KlDirection.Reverse, estimator), start, 1.0, iterations: 1500, batch: 512, learningRate: 0.05, Seed);
        Assert.That(fit.Mu, Is.EqualTo(mode).Within(0.15));
        Assert.That(fit.Sigma, Is.EqualTo(0.6).Within(0.15));
    }

    /// <summary>
    /// At a fixed (mu, r) the score-function and path-wise estimators have the same expectation, the exact gradient of
    /// KL(q || p). Each is averaged over 2^20 samples; they must agree within 5 combined standard errors, and each must
    /// match the quadrature value within 5 of its own.
    /// </summary>
    [TestCase(0.5, 0.0)]
    [TestCase(-1.2, -0.6)]
    [TestCase(2.5, 0.4)]
    public void ReverseEstimatorsAgreeInExpectationWithQuadrature(double mu, double logVariance)
    {
        var exact = QuadratureGradient(Bimodal, mu, logVariance);
        var score = MeanTerms(KlGradient.ReverseScore, mu, logVariance, stream: 21);
        var pathwise = MeanTerms(KlGradient.ReversePathwise, mu, logVariance, stream: 22);
        for (int parameter = 0; parameter < 2; parameter++)
        {
            string name = parameter == 0 ? "d/dmu" : "d/dr";
            double combined = Math.Sqrt(score.Errors[parameter] * score.Errors[parameter] + pathwise.Errors[parameter] * pathwise.Errors[parameter]);
            Assert.That(score.Means[parameter], Is.EqualTo(pathwise.Means[parameter]).Within(5 * combined), $"{name}: score vs path-wise");
            Assert.That(score.Means[parameter], Is.EqualTo(exact[parameter]).Within(5 * score.Errors[parameter]), $"{name}: score vs quadrature");
            Assert.That(pathwise.Means[parameter], Is.EqualTo(exact[parameter]).Within(5 * pathwise.Errors[parameter]), $"{name}: path-wise vs quadrature");
        }
    }

    /// <summary>
    /// The gradient of KL(q || p) = integral of q log(q / p), as the integral of dq/dtheta (log q - log p) (the +1 of the
    /// score form integrates to zero), by Gauss-Legendre quadrature over mu +- 12 sigma; checked against central
    /// differences of the quadrature KL itself, so the derivative is not taken on trust.
    /// </summary>
    static double[] QuadratureGradient(TargetMixture target, double mu, double logVariance)
    {
        double Integrate(Func<double, double> f, double centre, double sigma) => GaussLegendreRule.Integrate(f, centre - 12 * sigma, centre + 12 * sigma, 1024);
        double Kl(double m, double r)
        {
            double s = Math.Exp(0.5 * r);
            return Integrate(x => Normal.PDF(m, s, x) * (Normal.PDFLn(m, s, x) - Math.Log(target.Density(x))), m, s);
        }
        double sigma = Math.Exp(0.5 * logVariance), variance = sigma * sigma;
        double LogRatio(double x) => Normal.PDFLn(mu, sigma, x) - Math.Log(target.Density(x));
        double dMu = Integrate(x => Normal.PDF(mu, sigma, x) * (x - mu) / variance * LogRatio(x), mu, sigma);
        double dLogVariance = Integrate(x => Normal.PDF(mu, sigma, x) * 0.5 * ((x - mu) * (x - mu) / variance - 1) * LogRatio(x), mu, sigma);
        const double h = 1e-4;
        Assert.That(dMu, Is.EqualTo((Kl(mu + h, logVariance) - Kl(mu - h, logVariance)) / (2 * h)).Within(1e-6), "d/dmu against differences");
        Assert.That(dLogVariance, Is.EqualTo((Kl(mu, logVariance + h) - Kl(mu, logVariance - h)) / (2 * h)).Within(1e-6), "d/dr against differences");
        return [dMu, dLogVariance];
    }

    /// <summary>The mean of each row of per-sample terms over 2^20 samples, and its standard error.</summary>
    static (double[] Means, double[] Errors) MeanTerms(KlGradient gradient, double mu, double logVariance, ulong stream)
    {
        const int count = 1 << 20;
        var parameters = Host.Upload([(float)mu, (float)logVariance], 1, 2);
        var terms = Host.Allocate(2, count);
        var total = Host.Allocate(1, 1);
        Operations.Terms(gradient, Bimodal.Kernel, Seed, stream, 0, parameters, 1f, terms);
        double[] means = new double[2], errors = new double[2];
        for (int row = 0; row < 2; row++)
        {
            var values = Host.View(terms, row * count, 1, count);
            Host.Sum(values, total);
            double mean = Host.Download(total)[0] / count;
            Host.SumOfSquares(values, total);
            double variance = Host.Download(total)[0] / count - mean * mean;
            (means[row], errors[row]) = (mean, Math.Sqrt(variance / count));
        }
        return (means, errors);
    }

    static (double Mean, double Variance) StandardErrors(TargetMixture target, long samples) =>
        (Math.Sqrt(target.Variance / samples), Math.Sqrt((target.FourthCentralMoment - target.Variance * target.Variance) / samples));
}
