using VaeGpu.Kernels;
using VaeGpu.References;

namespace VaeGpu.Tests;

/// <summary>
/// The ImportanceWeighted family's bounds beyond IWAE (BoundWeighting: MIWAE, CIWAE, Rényi) and its score-of-q
/// estimators (VIMCO, wake-phi) on every backend against BoundReference; each draw's weight is the bound's derivative
/// in its log weight, checked by central differences of the double bound.
/// </summary>
public class BoundWeightingTests
{
    const int Images = 3, Samples = 8, Draws = Images * Samples;

    static readonly (string Name, BoundWeighting Weighting)[] Weightings =
    [
        ("iwae", BoundWeighting.Iwae),
        ("miwae 4 groups", new BoundWeighting { Groups = 4 }),
        ("ciwae 0.3", new BoundWeighting { Groups = 1, ElboWeight = 0.3f }),
        ("renyi 0.5", new BoundWeighting { Groups = 1, Alpha = 0.5f }),
        ("renyi 0.9, 2 groups, ELBO weight 0.2", new BoundWeighting { Groups = 2, ElboWeight = 0.2f, Alpha = 0.9f }),
    ];

    static IEnumerable<TestCaseData> BackendsAndWeightings() =>
        from backend in Backends.All
        from weighting in Weightings
        select new TestCaseData(backend, weighting.Name, weighting.Weighting);

    static double[] LogWeights(float[] nll, float[] logRatio, int image) =>
        [.. Enumerable.Range(image * Samples, Samples).Select(row => (double)logRatio[row] - nll[row])];

    [TestCaseSource(nameof(BackendsAndWeightings))]
    public void WeightsAreTheBoundsDerivativesAndTheBoundIsTheReferences(string backendName, string name, BoundWeighting weighting)
    {
        var backend = Backends.Get(backendName);
        var operations = Backends.ImportanceWeighted(backendName);
        float[] nll = RandomArrays.Uniform(Draws, 31, 100f, 104f), logRatio = RandomArrays.Uniform(Draws, 32, -3f, 3f), kl = new float[Draws];
        var (rowScale, bound, sums, drawWeights) = (backend.Allocate(Draws, 1), backend.Allocate(Images, 1), backend.Allocate(Images, 2), backend.Allocate(Draws, 1));
        backend.Fill(sums, 0f);
        var (nllTensor, logRatioTensor) = (backend.Upload(nll, Draws, 1), backend.Upload(logRatio, Draws, 1));
        operations.Weigh(nllTensor, logRatioTensor, backend.Upload(kl, Draws, 1), 0.5f, weighting, rowScale, bound, sums);
        operations.DrawWeights(nllTensor, logRatioTensor, Samples, 0.5f, weighting, drawWeights);

        float[] scales = backend.Download(rowScale), bounds = backend.Download(bound);
        Assert.That(backend.Download(drawWeights), Is.EqualTo(scales), "DrawWeights are Weigh's weights");
        for (int image = 0; image < Images; image++)
        {
            double[] logWeights = LogWeights(nll, logRatio, image);
            double Of(double[] v) => BoundReference.Bound(v, weighting.Groups, weighting.ElboWeight, weighting.Alpha);
            Assert.That(bounds[image], Is.EqualTo(Of(logWeights)).Within(1e-4 * 104), $"{name}: image {image}'s bound");
            for (int k = 0; k < Samples; k++)
            {
                double[] up = (double[])logWeights.Clone(), down = (double[])logWeights.Clone();
                up[k] += 1e-5;
                down[k] -= 1e-5;
                double derivative = (Of(up) - Of(down)) / 2e-5;
                Assert.That(scales[image * Samples + k], Is.EqualTo(0.5 * derivative).Within(1e-5), $"{name}: image {image} draw {k}");
            }
        }
    }

    /// <summary>VIMCO's and wake-phi's coefficients against the reference, including an image where one draw outweighs the rest by e^100.</summary>
    [TestCaseSource(nameof(BackendsAndLeaveOneOut))]
    public void ScoreCoefficientsMatchTheReference(string backendName, bool leaveOneOut)
    {
        var backend = Backends.Get(backendName);
        float[] nll = RandomArrays.Uniform(Draws, 33, 100f, 104f), logRatio = RandomArrays.Uniform(Draws, 34, -3f, 3f);
        nll[Samples + 2] -= 100f; // image 1, draw 2
        var coefficients = backend.Allocate(Draws, 1);
        Backends.ImportanceWeighted(backendName).ScoreCoefficients(backend.Upload(nll, Draws, 1), backend.Upload(logRatio, Draws, 1), Samples, 0.25f, leaveOneOut, coefficients);
        float[] actual = backend.Download(coefficients);
        for (int image = 0; image < Images; image++)
        {
            double[] expected = BoundReference.ScoreCoefficients(LogWeights(nll, logRatio, image), leaveOneOut);
            for (int k = 0; k < Samples; k++)
                Assert.That(actual[image * Samples + k], Is.EqualTo(0.25 * expected[k]).Within(2e-5 * (1 + Math.Abs(expected[k]))), $"image {image} draw {k}");
        }
    }

    static IEnumerable<TestCaseData> BackendsAndLeaveOneOut() =>
        from backend in Backends.All
        from leaveOneOut in new[] { true, false }
        select new TestCaseData(backend, leaveOneOut);

    /// <summary>dHead = sum_k c_k (eps_k / sigma, (eps_k^2 - 1) / 2): the score of q at fixed z_k, eps FillNormal's.</summary>
    [TestCaseSource(typeof(Backends), nameof(Backends.All))]
    public void ScoreEncoderBackwardIsTheWeightedScoreOfQ(string backendName)
    {
        const int Latent = 3;
        var backend = Backends.Get(backendName);
        float[] head = RandomArrays.Uniform(Images * 2 * Latent, 35, -1f, 1f), coefficients = RandomArrays.Uniform(Draws, 36, -0.5f, 0.5f);
        var dHead = backend.Allocate(Images, 2 * Latent);
        Backends.ImportanceWeighted(backendName).ScoreEncoderBackward(backend.Upload(head, Images, 2 * Latent), 7, 8, backend.Upload(coefficients, Draws, 1), dHead);
        float[] actual = backend.Download(dHead);
        for (int image = 0; image < Images; image++)
            for (int j = 0; j < Latent; j++)
            {
                double sigma = Math.Exp(0.5 * head[image * 2 * Latent + Latent + j]), mu = 0, logVariance = 0;
                for (int k = 0; k < Samples; k++)
                {
                    double eps = RandomReferenceNormal(7, 8, (long)(image * Samples + k) * Latent + j);
                    mu += coefficients[image * Samples + k] * eps / sigma;
                    logVariance += coefficients[image * Samples + k] * (eps * eps - 1) / 2;
                }
                Assert.That(actual[image * 2 * Latent + j], Is.EqualTo(mu).Within(1e-4), $"image {image} mu {j}");
                Assert.That(actual[image * 2 * Latent + Latent + j], Is.EqualTo(logVariance).Within(1e-4), $"image {image} log variance {j}");
            }
    }

    static double RandomReferenceNormal(ulong seed, ulong stream, long element)
    {
        var normals = new float[element + 1];
        RandomReference.FillNormal(normals, seed, stream);
        return normals[element];
    }

    [TestCaseSource(typeof(Backends), nameof(Backends.All))]
    public void RatioDividesAndGivesZeroForAZeroDenominator(string backendName)
    {
        var backend = Backends.Get(backendName);
        var result = backend.Allocate(3, 1);
        Backends.ImportanceWeighted(backendName).Ratio(backend.Upload([1f, 2f, 3f], 3, 1), backend.Upload([4f, 0f, 0.5f], 3, 1), result);
        Assert.That(backend.Download(result), Is.EqualTo(new[] { 0.25f, 0f, 6f }));
    }
}
