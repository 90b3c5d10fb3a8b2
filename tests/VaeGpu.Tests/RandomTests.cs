using MathNet.Numerics.Distributions;
using MathNet.Numerics.Statistics;
using VaeGpu.Kernels;

namespace VaeGpu.Tests;

public class RandomTests
{
    /// <summary>Random123's known-answer vectors for philox4x32-10 (kat_vectors): counter, key, expected output.</summary>
    [TestCase(0u, 0u, 0u, 0u, 0u, 0u, 0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u)]
    [TestCase(0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu)]
    [TestCase(0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u, 0xa4093822u, 0x299f31d0u, 0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u)]
    public void PhiloxMatchesKnownAnswers(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1, uint e0, uint e1, uint e2, uint e3)
    {
        var result = Philox4x32.Generate(c0, c1, c2, c3, k0, k1);
        Assert.That(new[] { result.X0, result.X1, result.X2, result.X3 }, Is.EqualTo(new[] { e0, e1, e2, e3 }));
    }

    [Test]
    public void UniformCoversZeroExclusiveToOneInclusive()
    {
        Assert.That(RandomMath.Uniform(0u), Is.EqualTo(1f / 16777216f));
        Assert.That(RandomMath.Uniform(uint.MaxValue), Is.EqualTo(1f));
    }

    /// <summary>
    /// The same (seed, stream) gives bit-identical uniforms on every backend, odd lengths included; normals agree up to
    /// the last bits of each backend's log/sqrt/sin/cos.
    /// </summary>
    [TestCaseSource(typeof(Backends), nameof(Backends.All))]
    public void FillsAgreeWithTheReferenceOnEveryBackend(string backendName)
    {
        var backend = Backends.Get(backendName);
        foreach (int length in new[] { 1, 7, 4096 * 4 + 3, 40_001 })
        {
            var tensor = backend.Allocate(1, length);
            float[] expected = new float[length];

            backend.FillUniform(tensor, seed: 42, stream: 7);
            RandomReference.FillUniform(expected, 42, 7);
            Assert.That(backend.Download(tensor), Is.EqualTo(expected), $"uniform, length {length}");

            backend.FillNormal(tensor, seed: 42, stream: 7);
            RandomReference.FillNormal(expected, 42, 7);
            Assert.That(backend.Download(tensor), Is.EqualTo(expected).Within(2e-5f), $"normal, length {length}");
        }
    }

    /// <summary>
    /// Binarize gives the reference's bits on every backend (odd lengths and chunk edges included), 0 for 0 and 1 for 1,
    /// and ones with frequency x: 2^16 draws at each of five grey levels within 5 standard errors.
    /// </summary>
    [TestCaseSource(typeof(Backends), nameof(Backends.All))]
    public void BinarizeDrawsBernoulliPixelsWithTheReferencesBits(string backendName)
    {
        var backend = Backends.Get(backendName);
        foreach (int length in new[] { 1, 7, 4096 * 4 + 3 })
        {
            float[] grey = RandomArrays.Uniform(length, length, 0f, 1f);
            var tensor = backend.Allocate(1, length);
            backend.Upload(grey, tensor);
            backend.Binarize(tensor, seed: 9, stream: 4);
            RandomReference.Binarize(grey, 9, 4);
            Assert.That(backend.Download(tensor), Is.EqualTo(grey), $"length {length}");
        }
        const int Draws = 1 << 16;
        foreach (float level in new[] { 0f, 0.1f, 0.5f, 0.9f, 1f })
        {
            var tensor = backend.Allocate(1, Draws);
            backend.Upload(Enumerable.Repeat(level, Draws).ToArray(), tensor);
            backend.Binarize(tensor, seed: 3, stream: 8);
            float[] bits = backend.Download(tensor);
            Assert.That(bits, Is.All.EqualTo(0f).Or.EqualTo(1f));
            double mean = bits.Average(b => (double)b), error = Math.Sqrt(level * (1 - level) / Draws);
            Assert.That(mean, Is.EqualTo(level).Within(5 * error + 1e-12), $"level {level}");
        }
    }

    [Test]
    public void DifferentStreamsAndSeedsGiveDifferentNumbers()
    {
        float[] a = new float[8], b = new float[8], c = new float[8];
        RandomReference.FillUniform(a, 1, 0);
        RandomReference.FillUniform(b, 1, 1);
        RandomReference.FillUniform(c, 2, 0);
        Assert.That(a, Is.Not.EqualTo(b));
        Assert.That(a, Is.Not.EqualTo(c));
    }

    /// <summary>
    /// One million host-path normals: mean within 4 standard errors of 0, variance within 4 standard errors of 1
    /// (the variance of s^2 is 2/n for a normal), and a Kolmogorov-Smirnov distance to MathNet's normal CDF below
    /// the 0.1% critical value 1.95/sqrt(n).
    /// </summary>
    [Test]
    public void NormalSamplesHaveTheStandardNormalDistribution()
    {
        const int n = 1_000_000;
        var backend = Backends.Get("host");
        var tensor = backend.Allocate(1, n);
        backend.FillNormal(tensor, seed: 2024, stream: 1);
        double[] samples = backend.Download(tensor).Select(v => (double)v).ToArray();

        Assert.That(samples.Mean(), Is.EqualTo(0).Within(4 / Math.Sqrt(n)));
        Assert.That(samples.Variance(), Is.EqualTo(1).Within(4 * Math.Sqrt(2.0 / n)));
        Assert.That(KolmogorovSmirnovDistance(samples, x => Normal.CDF(0, 1, x)), Is.LessThan(1.95 / Math.Sqrt(n)));
    }

    [Test]
    public void UniformSamplesHaveTheUniformDistribution()
    {
        const int n = 1_000_000;
        var backend = Backends.Get("host");
        var tensor = backend.Allocate(1, n);
        backend.FillUniform(tensor, seed: 2024, stream: 2);
        double[] samples = backend.Download(tensor).Select(v => (double)v).ToArray();

        Assert.That(samples.Min(), Is.GreaterThan(0));
        Assert.That(samples.Max(), Is.LessThanOrEqualTo(1));
        Assert.That(KolmogorovSmirnovDistance(samples, x => ContinuousUniform.CDF(0, 1, x)), Is.LessThan(1.95 / Math.Sqrt(n)));
    }

    /// <summary>sup |F_n(x) - F(x)| over the sample, checking both sides of each step of the empirical CDF.</summary>
    static double KolmogorovSmirnovDistance(double[] samples, Func<double, double> cdf)
    {
        var sorted = samples.OrderBy(v => v).ToArray();
        double distance = 0;
        for (int i = 0; i < sorted.Length; i++)
        {
            double f = cdf(sorted[i]);
            distance = Math.Max(distance, Math.Max((i + 1.0) / sorted.Length - f, f - (double)i / sorted.Length));
        }
        return distance;
    }
}
