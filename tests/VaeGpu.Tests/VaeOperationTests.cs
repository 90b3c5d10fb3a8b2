using VaeGpu.Kernels;

namespace VaeGpu.Tests;

/// <summary>The VAE's fused operations on every backend against their managed references.</summary>
public class VaeOperationTests
{
    const int Batch = 6, Latent = 5, Pixels = 37;

    [TestCaseSource(typeof(Backends), nameof(Backends.All))]
    public void GatherRowsCopiesTheIndexedRows(string backendName)
    {
        var backend = Backends.Get(backendName);
        float[] source = RandomArrays.Uniform(10 * 3, 1);
        int[] order = [9, 0, 4, 4, 7, 2];
        var indices = backend.AllocateIndices(order.Length);
        backend.Upload(order, indices);
        var destination = backend.Allocate(3, 3);

        backend.GatherRows(backend.Upload(source, 10, 3), indices, first: 2, destination);

        float[] expected = new float[9];
        GatherReference.Rows(source, order, 2, 3, expected);
        Assert.That(backend.Download(destination), Is.EqualTo(expected));
        Assert.That(expected[..3], Is.EqualTo(source[12..15]), "row 4");
    }

    static IEnumerable<TestCaseData> BackendsAndEstimators() =>
        from backend in Backends.All
        from estimator in Enum.GetValues<EncoderEstimator>()
        select new TestCaseData(backend, estimator);

    [TestCaseSource(nameof(BackendsAndEstimators))]
    public void ReparameterizationMatchesTheReference(string backendName, EncoderEstimator estimator)
    {
        var backend = Backends.Get(backendName);
        float[] head = RandomArrays.Uniform(Batch * 2 * Latent, 2, -2f, 2f), dz = RandomArrays.Uniform(Batch * Latent, 3);
        float[] nll = RandomArrays.Uniform(Batch, 4, 100f, 300f), baselineSum = RandomArrays.Uniform(Batch, 5, 800f, 2400f);
        var tensorHead = backend.Upload(head, Batch, 2 * Latent);
        var (z, kl, logRatio, dHead) = (backend.Allocate(Batch, Latent), backend.Allocate(Batch, 1), backend.Allocate(Batch, 1), backend.Allocate(Batch, 2 * Latent));
        var scalars = new EncoderEstimatorScalars { Kind = estimator, KlWeight = 0.3f, SignalScale = 0.25f, BaselineScale = estimator == EncoderEstimator.ScoreBaseline ? 0.125f : 0f };

        backend.ReparameterizeForward(tensorHead, 5, 6, z, kl, logRatio);
        backend.ReparameterizeBackward(tensorHead, 5, 6, backend.Upload(dz, Batch, Latent), dHead, scalars,
            backend.Upload(nll, Batch, 1), backend.Upload(baselineSum, Batch, 1));

        float[] expectedZ = new float[Batch * Latent], expectedKl = new float[Batch], expectedLogRatio = new float[Batch], expectedDHead = new float[head.Length];
        ReparameterizationReference.Forward(head, Batch, Latent, 5, 6, expectedZ, expectedKl, expectedLogRatio);
        float[] baselineMean = baselineSum.Select(sum => sum * scalars.BaselineScale).ToArray();
        ReparameterizationReference.Backward(estimator, head, Batch, Latent, 5, 6, dz, 0.3f, nll, baselineMean, 0.25f, expectedDHead);
        Assert.That(backend.Download(z), Is.EqualTo(expectedZ).Within(1e-4f));
        Assert.That(backend.Download(kl), Is.EqualTo(expectedKl).Within(1e-4f));
        Assert.That(backend.Download(logRatio), Is.EqualTo(expectedLogRatio).Within(1e-4f));
        // The score estimators multiply a signal of ~50 by eps / sigma (sigma down to e^-1): float rounding of ~1e-5 relative.
        Assert.That(backend.Download(dHead), Is.EqualTo(expectedDHead).Within(estimator is EncoderEstimator.Score or EncoderEstimator.ScoreBaseline ? 2e-3f : 1e-4f));
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

    [TestCaseSource(typeof(Backends), nameof(Backends.All))]
    public void LikelihoodsMatchTheReferenceAndAccumulate(string backendName)
    {
        var backend = Backends.Get(backendName);
        float[] output = RandomArrays.Uniform(Batch * Pixels, 4, -30f, 30f), x = RandomArrays.Uniform(Batch * Pixels, 5, 0f, 1f), kl = RandomArrays.Uniform(Batch, 6, 0f, 5f);
        var (tensorOutput, tensorX, tensorKl) = (backend.Upload(output, Batch, Pixels), backend.Upload(x, Batch, Pixels), backend.Upload(kl, Batch, 1));
        var (gradient, nll, sums) = (backend.Allocate(Batch, Pixels), backend.Allocate(Batch, 1), backend.Allocate(Batch, 2));

        backend.BernoulliLikelihood(tensorOutput, tensorX, 0.25f, gradient, nll, tensorKl, sums);
        float[] expectedGradient = new float[output.Length];
        float[] expectedNll = LikelihoodReference.Bernoulli(output, x, Batch, Pixels, 0.25f, expectedGradient);
        Assert.That(backend.Download(nll), Is.EqualTo(expectedNll).Within(1e-5f * Pixels * 30));
        Assert.That(backend.Download(gradient), Is.EqualTo(expectedGradient).Within(1e-6f));

        backend.GaussianLikelihood(tensorOutput, tensorX, 0.5f, 0.25f, gradient, nll, tensorKl, sums);
        float[] expectedGaussianNll = LikelihoodReference.Gaussian(output, x, Batch, Pixels, 0.25f, 0.5f, expectedGradient);
        Assert.That(backend.Download(nll), Is.EqualTo(expectedGaussianNll).Within(1e-6f * Pixels * 3600));
        Assert.That(backend.Download(gradient), Is.EqualTo(expectedGradient).Within(1e-4f));

        float[] runningSums = backend.Download(sums);
        for (int row = 0; row < Batch; row++)
        {
            Assert.That(runningSums[2 * row], Is.EqualTo(expectedNll[row] + expectedGaussianNll[row]).Within(1e-6f * Pixels * 3600));
            Assert.That(runningSums[2 * row + 1], Is.EqualTo(2 * kl[row]).Within(1e-5f));
        }
    }

    /// <summary>The likelihood formulas against MathNet's densities: Bernoulli(sigmoid(l)) and Normal(m, sigma).</summary>
    [Test]
    public void LikelihoodFormulasMatchMathNetDensities()
    {
        float[] logits = [-3f, 0.5f, 4f], binary = [0f, 1f, 1f];
        double expectedBernoulli = -logits.Zip(binary, (l, x) => MathNet.Numerics.Distributions.Bernoulli.PMFLn(1 / (1 + Math.Exp(-l)), (int)x)).Sum();
        Assert.That(LikelihoodReference.Bernoulli(logits, binary, 1, 3, 1f, new float[3])[0], Is.EqualTo(expectedBernoulli).Within(1e-5));

        float[] means = [0.2f, 0.9f, -0.4f], targets = [0.3f, 0.1f, 0.0f];
        double expectedGaussian = -means.Zip(targets, (m, x) => MathNet.Numerics.Distributions.Normal.PDFLn(m, 0.3, x)).Sum();
        Assert.That(LikelihoodReference.Gaussian(means, targets, 1, 3, 1f, 0.3f, new float[3])[0], Is.EqualTo(expectedGaussian).Within(1e-5));
    }
}
