using VaeGpu.Kernels;

namespace VaeGpu.Tests;

/// <summary>The likelihood family on every backend against LikelihoodReference, and the formulas against MathNet's densities.</summary>
public class LikelihoodTests
{
    const int Batch = 6, Pixels = 37;

    [TestCaseSource(typeof(Backends), nameof(Backends.All))]
    public void LikelihoodsMatchTheReferenceAndAccumulate(string backendName)
    {
        var backend = Backends.Get(backendName);
        var operations = Backends.Likelihood(backendName);
        float[] output = RandomArrays.Uniform(Batch * Pixels, 4, -30f, 30f), x = RandomArrays.Uniform(Batch * Pixels, 5, 0f, 1f), kl = RandomArrays.Uniform(Batch, 6, 0f, 5f);
        var (tensorOutput, tensorX, tensorKl) = (backend.Upload(output, Batch, Pixels), backend.Upload(x, Batch, Pixels), backend.Upload(kl, Batch, 1));
        var (gradient, nll, sums) = (backend.Allocate(Batch, Pixels), backend.Allocate(Batch, 1), backend.Allocate(Batch, 2));

        operations.Bernoulli(tensorOutput, tensorX, 0.25f, gradient, nll, tensorKl, sums);
        float[] expectedGradient = new float[output.Length];
        float[] expectedNll = LikelihoodReference.Bernoulli(output, x, Batch, Pixels, 0.25f, expectedGradient);
        Assert.That(backend.Download(nll), Is.EqualTo(expectedNll).Within(1e-5f * Pixels * 30));
        Assert.That(backend.Download(gradient), Is.EqualTo(expectedGradient).Within(1e-6f));

        operations.Gaussian(tensorOutput, tensorX, 0.5f, 0.25f, gradient, nll, tensorKl, sums);
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
