using VaeGpu.Kernels;

namespace VaeGpu.Tests;

/// <summary>The reparameterisation family on every backend against ReparameterizationReference, and its KL against quadrature.</summary>
public class ReparameterizationTests
{
    const int Batch = 6, Latent = 5;

    static IEnumerable<TestCaseData> BackendsAndEstimators() =>
        from backend in Backends.All
        from estimator in EncoderEstimators.All
        select new TestCaseData(backend, estimator);

    [TestCaseSource(nameof(BackendsAndEstimators))]
    public void ReparameterizationMatchesTheReference(string backendName, GradientEstimator estimator)
    {
        var backend = Backends.Get(backendName);
        var operations = Backends.Reparameterization(backendName);
        float[] head = RandomArrays.Uniform(Batch * 2 * Latent, 2, -2f, 2f), dz = RandomArrays.Uniform(Batch * Latent, 3);
        float[] nll = RandomArrays.Uniform(Batch, 4, 100f, 300f), baselineSum = RandomArrays.Uniform(Batch, 5, 800f, 2400f);
        var tensorHead = backend.Upload(head, Batch, 2 * Latent);
        var (z, kl, logRatio, dHead) = (backend.Allocate(Batch, Latent), backend.Allocate(Batch, 1), backend.Allocate(Batch, 1), backend.Allocate(Batch, 2 * Latent));
        var scalars = new EncoderEstimatorScalars { Kind = estimator, KlWeight = 0.3f, SignalScale = 0.25f, BaselineScale = estimator == GradientEstimator.ScoreBaseline ? 0.125f : 0f };

        operations.Forward(tensorHead, 5, 6, z, kl, logRatio);
        operations.Backward(tensorHead, 5, 6, backend.Upload(dz, Batch, Latent), dHead, scalars,
            backend.Upload(nll, Batch, 1), backend.Upload(baselineSum, Batch, 1));

        float[] expectedZ = new float[Batch * Latent], expectedKl = new float[Batch], expectedLogRatio = new float[Batch], expectedDHead = new float[head.Length];
        ReparameterizationReference.Forward(head, Batch, Latent, 5, 6, expectedZ, expectedKl, expectedLogRatio);
        float[] baselineMean = baselineSum.Select(sum => sum * scalars.BaselineScale).ToArray();
        ReparameterizationReference.Backward(estimator, head, Batch, Latent, 5, 6, dz, 0.3f, nll, baselineMean, 0.25f, expectedDHead);
        Assert.That(backend.Download(z), Is.EqualTo(expectedZ).Within(1e-4f));
        Assert.That(backend.Download(kl), Is.EqualTo(expectedKl).Within(1e-4f));
        Assert.That(backend.Download(logRatio), Is.EqualTo(expectedLogRatio).Within(1e-4f));
        // The score estimators multiply a signal of ~50 by eps / sigma (sigma down to e^-1): float rounding of ~1e-5 relative.
        Assert.That(backend.Download(dHead), Is.EqualTo(expectedDHead).Within(estimator is GradientEstimator.Score or GradientEstimator.ScoreBaseline ? 2e-3f : 1e-4f));
    }

    /// <summary>The noise is FillNormal's: z - mu = sigma * eps with eps the same stream's normals.</summary>
    [Test]
    public void ReparameterizationUsesTheFillNormalStream()
    {
        float[] head = new float[2 * Latent]; // mu = 0, log sigma^2 = 0
        float[] z = new float[Latent], eps = new float[Latent];
        ReparameterizationReference.Forward(head, 1, Latent, 8, 9, z, new float[1], new float[1]);
        RandomReference.FillNormal(eps, 8, 9);
        Assert.That(z, Is.EqualTo(eps).Within(1e-6f));
    }

    /// <summary>KL(N(mu, s^2) || N(0, 1)) in closed form against numerical quadrature (MathNet) of q log(q/p).</summary>
    [TestCase(0.0, 0.0)]
    [TestCase(1.5, -1.0)]
    [TestCase(-0.7, 0.8)]
    public void AnalyticKlMatchesQuadrature(double mu, double logVariance)
    {
        double sigma = Math.Exp(0.5 * logVariance);
        double LogQ(double z) => MathNet.Numerics.Distributions.Normal.PDFLn(mu, sigma, z);
        double LogP(double z) => MathNet.Numerics.Distributions.Normal.PDFLn(0, 1, z);
        double numeric = MathNet.Numerics.Integration.GaussLegendreRule.Integrate(z => Math.Exp(LogQ(z)) * (LogQ(z) - LogP(z)), mu - 12 * sigma, mu + 12 * sigma, 256);
        float[] kl = new float[1];
        ReparameterizationReference.Forward([(float)mu, (float)logVariance], 1, 1, 1, 1, new float[1], kl, new float[1]);
        Assert.That(kl[0], Is.EqualTo(numeric).Within(1e-5));
    }
}
