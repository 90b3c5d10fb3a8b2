using VaeGpu.Kernels;

namespace VaeGpu.Tests;

/// <summary>
/// The importance-weighted family on every backend against ImportanceWeightedReference, and the K-draw forms of the
/// reparameterisation and the likelihood it feeds on (K z rows per head row, K output rows per image of x).
/// </summary>
public class ImportanceWeightedTests
{
    const int Images = 5, Samples = 4, Latent = 3, Draws = Images * Samples;

    static IEnumerable<TestCaseData> BackendsAndEstimators() =>
        from backend in Backends.All
        from estimator in EncoderEstimators.ImportanceWeighted
        select new TestCaseData(backend, estimator);

    [TestCaseSource(typeof(Backends), nameof(Backends.All))]
    public void WeightsBoundAndRunningSumsMatchTheReference(string backendName)
    {
        var backend = Backends.Get(backendName);
        float[] nll = RandomArrays.Uniform(Draws, 1, 100f, 160f), logRatio = RandomArrays.Uniform(Draws, 2, -8f, 8f);
        float[] kl = Enumerable.Range(0, Draws).Select(row => 3f + row / Samples).ToArray(); // the image's KL on each of its rows
        float[] sums = RandomArrays.Uniform(2 * Images, 3, 0f, 10f);
        var (rowScale, bound, runningSums) = (backend.Allocate(Draws, 1), backend.Allocate(Images, 1), backend.Upload(sums, Images, 2));

        Backends.ImportanceWeighted(backendName).Weigh(backend.Upload(nll, Draws, 1), backend.Upload(logRatio, Draws, 1), backend.Upload(kl, Draws, 1),
            0.25f, rowScale, bound, runningSums);

        var expected = ImportanceWeightedReference.Weigh(nll, logRatio, Images, Samples, 0.25);
        Assert.That(backend.Download(bound), Is.EqualTo(expected.Bound).Within(1e-4 * 160));
        Assert.That(backend.Download(rowScale), Is.EqualTo(expected.RowScale).Within(1e-6));
        var expectedSums = sums.Select((s, i) => i % 2 == 0 ? s - expected.Bound[i / 2] - kl[i / 2 * Samples] : s + kl[i / 2 * Samples]).ToArray();
        Assert.That(backend.Download(runningSums), Is.EqualTo(expectedSums).Within(2e-2));
    }

    /// <summary>Log weights 100 nats apart: the lesser draw's weight, e^-100, is below 2^-60 and becomes exactly 0; the bound is the larger one's.</summary>
    [TestCaseSource(typeof(Backends), nameof(Backends.All))]
    public void NegligibleWeightsAreZeroAndNoTermOverflows(string backendName)
    {
        var backend = Backends.Get(backendName);
        var (rowScale, bound, sums) = (backend.Allocate(2, 1), backend.Allocate(1, 1), backend.Allocate(1, 2));
        backend.Fill(sums, 0f);
        Backends.ImportanceWeighted(backendName).Weigh(backend.Upload([2000f, 2100f], 2, 1), backend.Upload([0f, 0f], 2, 1), backend.Upload([1f, 1f], 2, 1),
            1f, rowScale, bound, sums);
        Assert.That(backend.Download(rowScale), Is.EqualTo(new[] { 1f, 0f }));
        Assert.That(backend.Download(bound)[0], Is.EqualTo(-2000 - Math.Log(2)).Within(1e-3));
    }

    [TestCaseSource(typeof(Backends), nameof(Backends.All))]
    public void ScaleRowsMultipliesEachRowByItsScale(string backendName)
    {
        var backend = Backends.Get(backendName);
        float[] values = RandomArrays.Uniform(Draws * 7, 4), scale = RandomArrays.Uniform(Draws, 5, 0f, 1f);
        var tensor = backend.Upload(values, Draws, 7);
        Backends.ImportanceWeighted(backendName).ScaleRows(tensor, backend.Upload(scale, Draws, 1));
        Assert.That(backend.Download(tensor), Is.EqualTo(values.Select((v, i) => v * scale[i / 7])).Within(1e-6));
    }

    [TestCaseSource(nameof(BackendsAndEstimators))]
    public void EncoderBackwardMatchesTheReference(string backendName, GradientEstimator estimator)
    {
        var backend = Backends.Get(backendName);
        float[] head = RandomArrays.Uniform(Images * 2 * Latent, 6, -2f, 2f), dz = RandomArrays.Uniform(Draws * Latent, 7, -0.1f, 0.1f);
        float[] scale = RandomArrays.Uniform(Draws, 8, 0f, 0.1f);
        var dHead = backend.Allocate(Images, 2 * Latent);

        Backends.ImportanceWeighted(backendName).EncoderBackward(backend.Upload(head, Images, 2 * Latent), 5, 6, backend.Upload(dz, Draws, Latent),
            backend.Upload(scale, Draws, 1), estimator, dHead);

        var expected = ImportanceWeightedReference.EncoderBackward(estimator, head, Images, Latent, Samples, 5, 6, dz, scale);
        Assert.That(backend.Download(dHead), Is.EqualTo(expected).Within(1e-4));
    }

    [TestCaseSource(typeof(Backends), nameof(Backends.All))]
    public void ReparameterizationDrawsKRowsPerHeadRow(string backendName)
    {
        var backend = Backends.Get(backendName);
        float[] head = RandomArrays.Uniform(Images * 2 * Latent, 9, -2f, 2f);
        var (z, kl, logRatio) = (backend.Allocate(Draws, Latent), backend.Allocate(Draws, 1), backend.Allocate(Draws, 1));

        Backends.Reparameterization(backendName).Forward(backend.Upload(head, Images, 2 * Latent), 5, 6, z, kl, logRatio);

        float[] expectedZ = new float[Draws * Latent], expectedKl = new float[Draws], expectedLogRatio = new float[Draws];
        ReparameterizationReference.Forward(head, Draws, Latent, 5, 6, expectedZ, expectedKl, expectedLogRatio, Samples);
        Assert.That(backend.Download(z), Is.EqualTo(expectedZ).Within(1e-4f));
        Assert.That(backend.Download(kl), Is.EqualTo(expectedKl).Within(1e-4f));
        Assert.That(backend.Download(logRatio), Is.EqualTo(expectedLogRatio).Within(1e-4f));
    }

    /// <summary>Output row r is scored against x row r / K: the same as against x with each row repeated K times.</summary>
    [TestCaseSource(typeof(Backends), nameof(Backends.All))]
    public void LikelihoodsScoreKOutputRowsPerImage(string backendName)
    {
        var backend = Backends.Get(backendName);
        const int Columns = 9;
        float[] output = RandomArrays.Uniform(Draws * Columns, 10, -3f, 3f), x = RandomArrays.Uniform(Images * Columns, 11, 0f, 1f);
        float[] repeated = Enumerable.Range(0, Draws * Columns).Select(i => x[i / Columns / Samples * Columns + i % Columns]).ToArray();
        var likelihood = Backends.Likelihood(backendName);
        foreach (bool bernoulli in new[] { true, false })
        {
            var (gradient, nll, sums) = (backend.Allocate(Draws, Columns), backend.Allocate(Draws, 1), backend.Allocate(Draws, 2));
            backend.Fill(sums, 0f);
            var (o, images, kl) = (backend.Upload(output, Draws, Columns), backend.Upload(x, Images, Columns), backend.Upload(new float[Draws], Draws, 1));
            if (bernoulli) likelihood.Bernoulli(o, images, 0.5f, gradient, nll, kl, sums);
            else likelihood.Gaussian(o, images, 0.7f, 0.5f, gradient, nll, kl, sums);

            float[] expectedGradient = new float[Draws * Columns];
            float[] expectedNll = bernoulli
                ? LikelihoodReference.Bernoulli(output, repeated, Draws, Columns, 0.5f, expectedGradient)
                : LikelihoodReference.Gaussian(output, repeated, Draws, Columns, 0.5f, 0.7f, expectedGradient);
            Assert.That(backend.Download(nll), Is.EqualTo(expectedNll).Within(1e-4f), bernoulli ? "bernoulli" : "gaussian");
            Assert.That(backend.Download(gradient), Is.EqualTo(expectedGradient).Within(1e-5f), bernoulli ? "bernoulli" : "gaussian");
        }
    }

    /// <summary>
    /// With K = 8 draws per image, each image's 8 draws in each dimension lie one per stratum of width 1/8 (Phi of them),
    /// in orders that differ between images and dimensions (the hash-based Owen scramble's first three levels take three
    /// bits of the scramble seed, so at most 8 of the 128 orders of a full Owen scramble occur).
    /// </summary>
    [Test]
    public void StratifiedDrawsPutEachImagesDrawsOnePerStratumOfEveryDimension()
    {
        const int K = 8, Images = 6, Latent = 4;
        var draws = new StratifiedDraws(3, 7, Latent, K);
        var orders = new HashSet<string>();
        for (int image = 0; image < Images; image++)
            for (int j = 0; j < Latent; j++)
            {
                var strata = Enumerable.Range(0, K).Select(k => (int)(MathNet.Numerics.Distributions.Normal.CDF(0, 1, draws.At((long)(image * K + k) * Latent + j)) * K)).ToArray();
                Assert.That(strata.Order(), Is.EqualTo(Enumerable.Range(0, K)), $"image {image}, dimension {j}");
                orders.Add(string.Join(',', strata));
            }
        Assert.That(orders.Count, Is.GreaterThanOrEqualTo(4), "the scrambles differ between images and dimensions");
    }

    /// <summary>Stratified draws under every IWAE estimator; the antithetic and Sobol draws under the path-wise one they serve.</summary>
    static IEnumerable<TestCaseData> CoupledDraws() =>
        (from backend in Backends.All from estimator in EncoderEstimators.ImportanceWeighted select new TestCaseData(backend, estimator, Sampler.Stratified))
        .Concat(from backend in Backends.All from sampler in new[] { Sampler.Antithetic, Sampler.Rqmc } select new TestCaseData(backend, GradientEstimator.Pathwise, sampler));

    static IEnumerable<TestCaseData> CoupledSamplers() =>
        from backend in Backends.All from sampler in new[] { Sampler.Antithetic, Sampler.Stratified, Sampler.Rqmc } select new TestCaseData(backend, sampler);

    [TestCaseSource(nameof(CoupledDraws))]
    public void CoupledDrawsAreTheSameInTheForwardAndTheEncoderBackward(string backendName, GradientEstimator estimator, Sampler sampler)
    {
        var backend = Backends.Get(backendName);
        float[] head = RandomArrays.Uniform(Images * 2 * Latent, 12, -2f, 2f), dz = RandomArrays.Uniform(Draws * Latent, 13, -0.1f, 0.1f);
        float[] scale = RandomArrays.Uniform(Draws, 14, 0f, 0.1f);
        var draws = CoupledDrawsReference.For(sampler, 5, 6, Latent, Samples);
        var (z, kl, logRatio, dHead) = (backend.Allocate(Draws, Latent), backend.Allocate(Draws, 1), backend.Allocate(Draws, 1), backend.Allocate(Images, 2 * Latent));
        var tensorHead = backend.Upload(head, Images, 2 * Latent);

        Backends.Reparameterization(backendName).Forward(tensorHead, 5, 6, z, kl, logRatio, sampler);
        Backends.ImportanceWeighted(backendName).EncoderBackward(tensorHead, 5, 6, backend.Upload(dz, Draws, Latent), backend.Upload(scale, Draws, 1), estimator, dHead, sampler);

        var expectedZ = Enumerable.Range(0, Draws * Latent).Select(e =>
        {
            int image = e / Latent / Samples, j = e % Latent;
            return head[image * 2 * Latent + j] + Math.Exp(0.5 * head[image * 2 * Latent + Latent + j]) * draws(e);
        });
        Assert.That(backend.Download(z), Is.EqualTo(expectedZ).Within(sampler == Sampler.Rqmc ? 1e-3 : 1e-4), "MathNet's quantile against Giles' float one for rqmc");
        var expected = ImportanceWeightedReference.EncoderBackward(estimator, head, Images, Latent, Samples, 5, 6, dz, scale, draws);
        Assert.That(backend.Download(dHead), Is.EqualTo(expected).Within(sampler == Sampler.Rqmc ? 1e-3 : 1e-4));
    }

    /// <summary>Draws made a window at a time (eval's one row per image per call) are the bits of the K-row launch's rows.</summary>
    [TestCaseSource(nameof(CoupledSamplers))]
    public void AWindowOfDrawsIsTheWholeLaunchsDraws(string backendName, Sampler sampler)
    {
        var backend = Backends.Get(backendName);
        var reparameterization = Backends.Reparameterization(backendName);
        var head = backend.Upload(RandomArrays.Uniform(Images * 2 * Latent, 12, -2f, 2f), Images, 2 * Latent);
        var (z, kl, logRatio) = (backend.Allocate(Draws, Latent), backend.Allocate(Draws, 1), backend.Allocate(Draws, 1));
        reparameterization.Forward(head, 5, 6, z, kl, logRatio, sampler);
        float[] whole = backend.Download(z);

        var (zRow, klRow, logRatioRow) = (backend.Allocate(2 * Images, Latent), backend.Allocate(2 * Images, 1), backend.Allocate(2 * Images, 1));
        for (int first = 0; first < Samples; first += 2)
        {
            reparameterization.Forward(head, 5, 6, zRow, klRow, logRatioRow, sampler, first, Samples);
            float[] window = backend.Download(zRow);
            for (int image = 0; image < Images; image++)
                for (int k = 0; k < 2; k++)
                    Assert.That(window.AsSpan((image * 2 + k) * Latent, Latent).ToArray(), Is.EqualTo(whole.AsSpan((image * Samples + first + k) * Latent, Latent).ToArray()),
                        $"image {image}, draw {first + k}");
        }
    }

    [TestCase(Sampler.Antithetic, 3, 2, "pairs")]
    [TestCase(Sampler.Rqmc, 2, SobolDirections.Dimensions + 1, "1024 dimensions")]
    public void DrawsASamplerCannotMakeAreRefused(Sampler sampler, int samples, int latent, string named)
    {
        var backend = Backends.Get("host");
        var (head, z) = (backend.Allocate(1, 2 * latent), backend.Allocate(samples, latent));
        var error = Assert.Throws<ArgumentException>(() => Backends.Reparameterization("host").Forward(head, 1, 2, z, backend.Allocate(samples, 1), backend.Allocate(samples, 1), sampler));
        Assert.That(error!.Message, Does.Contain(named));
    }
}
