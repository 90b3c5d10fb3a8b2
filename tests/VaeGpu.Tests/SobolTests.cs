using System.Security.Cryptography;
using MathNet.Numerics.Distributions;
using VaeGpu.Kernels;

namespace VaeGpu.Tests;

/// <summary>
/// The Sobol sequence behind `--sampler rqmc` for the VAE's draws: the vendored Joe-Kuo table is the published one,
/// the per-index points (SamplingMath.SobolBits) are Joe and Kuo's generator's in all 1024 dimensions, the scrambled
/// point sets stay stratified, and SobolDraws maps them to normals that are exact in distribution and integrate
/// smooth functions with far less variance than independent draws.
/// </summary>
public class SobolTests
{
    static readonly ArrayDirections Table = new(SobolDirections.Table);

    [Test]
    public void TheEmbeddedTableIsJoeAndKuosFirst1024LinesWithItsLicence()
    {
        byte[] file = SobolDirections.FileBytes();
        Assert.That(file, Has.Length.EqualTo(63469));
        Assert.That(Convert.ToHexStringLower(SHA256.HashData(file)), Is.EqualTo("52eeb57738dd69f5e1f593f2085c4efb3fb410c3af241d5396d7a2bef60b9257"));
        Assert.That(SobolDirections.Licence(), Does.Contain("Copyright (c) 2008, Frances Y. Kuo and Stephen Joe").And.Contain("University of Waikato"));
        Assert.That(SobolDirections.Table, Has.Length.EqualTo(SobolDirections.Dimensions * SobolDirections.Bits));
    }

    /// <summary>Every dimension's first 1024 points from the index alone equal sobol.cc's recurrence (in its Gray-code order).</summary>
    [Test]
    public void EveryDimensionsPointsAreJoeAndKuosGenerators()
    {
        const int Points = 1024;
        for (int dimension = 0; dimension < SobolDirections.Dimensions; dimension++)
        {
            double[] expected = SamplingReference.SobolInGrayCodeOrder(dimension, Points);
            for (int step = 0; step < Points; step++)
            {
                double actual = SamplingMath.SobolBits(Table, dimension, (uint)(step ^ (step >> 1))) / 4294967296.0;
                if (actual != expected[step]) Assert.Fail($"dimension {dimension}, step {step}: {actual} != {expected[step]}");
            }
        }
    }

    /// <summary>The first eight two-dimensional points as published (e.g. SciPy's unscrambled Sobol, which walks the same order).</summary>
    [Test]
    public void TheFirstTwoDimensionalPointsAreThePublishedOnes()
    {
        double[,] published = { { 0, 0 }, { 0.5, 0.5 }, { 0.75, 0.25 }, { 0.25, 0.75 }, { 0.375, 0.375 }, { 0.875, 0.875 }, { 0.625, 0.125 }, { 0.125, 0.625 } };
        for (int step = 0; step < 8; step++)
            for (int dimension = 0; dimension < 2; dimension++)
                Assert.That(SamplingMath.SobolBits(Table, dimension, (uint)(step ^ (step >> 1))) / 4294967296.0, Is.EqualTo(published[step, dimension]), $"step {step}");
    }

    /// <summary>
    /// In every dimension the first 2^10 points, plain and under an Owen scramble, put exactly one point in each interval of
    /// width 2^-10: the stratification that gives RQMC its small variance, which the nested scramble keeps.
    /// </summary>
    [Test]
    public void EachDimensionsFirst1024PointsFillEvery1024thOfTheInterval()
    {
        const int M = 10;
        for (int dimension = 0; dimension < SobolDirections.Dimensions; dimension++)
            foreach (uint scramble in new[] { 0u, 0x9E3779B9u * (uint)(dimension + 1) })
            {
                var cells = new HashSet<uint>();
                for (uint k = 0; k < 1u << M; k++)
                {
                    uint bits = SamplingMath.SobolBits(Table, dimension, k);
                    cells.Add((scramble == 0 ? bits : SamplingMath.OwenScramble(bits, scramble)) >> (32 - M));
                }
                Assert.That(cells, Has.Count.EqualTo(1 << M), $"dimension {dimension}, scramble {scramble:x8}");
            }
    }

    [Test]
    public void SobolDrawsAreTheScrambledPointsUnderTheNormalQuantile()
    {
        const int Latent = 7, K = 12;
        var draws = new SobolDraws<ArrayDirections>(11, 12, Latent, K, Table);
        for (long element = 0; element < 5 * K * Latent; element++)
            Assert.That(draws.At(element), Is.EqualTo(Normal.InvCDF(0, 1, SamplingReference.SobolDrawUniform(11, 12, Latent, K, element))).Within(2e-4), $"element {element}");
    }

    /// <summary>
    /// Each image's K = 64 draws in d = 20 dimensions as one scrambled Sobol set: over 400 images (400 independent
    /// scrambles) the per-image mean of f(z) = mean_j exp(z_j / 2) is unbiased for e^(1/8), and its variance is under 1/20
    /// of the variance with independent draws. Antithetic pairs are exact negatives.
    /// </summary>
    [Test]
    public void CoupledDrawsAreUnbiasedAndRqmcQuietsASmoothIntegrand()
    {
        const int Latent = 20, K = 64, Images = 400;
        double exact = Math.Exp(0.125);
        (double Mean, double Variance) PerImage(INormalSource draws)
        {
            var means = new double[Images];
            for (int image = 0; image < Images; image++)
            {
                double sum = 0;
                for (long e = (long)image * K * Latent; e < (long)(image + 1) * K * Latent; e++) sum += Math.Exp(draws.At(e) / 2);
                means[image] = sum / (K * Latent);
            }
            double mean = means.Average();
            return (mean, means.Sum(m => (m - mean) * (m - mean)) / (Images - 1));
        }
        var plain = PerImage(new PhiloxNormals(3, 4));
        var sobol = PerImage(new SobolDraws<ArrayDirections>(3, 4, Latent, K, Table));
        var antithetic = PerImage(new AntitheticDraws(3, 4, Latent));
        foreach (var (name, result) in new[] { ("mc", plain), ("rqmc", sobol), ("antithetic", antithetic) })
            Assert.That(Math.Abs(result.Mean - exact), Is.LessThan(4 * Math.Sqrt(result.Variance / Images) + 1e-6), name);
        Assert.That(sobol.Variance, Is.LessThan(plain.Variance / 20));

        var pairs = new AntitheticDraws(3, 4, Latent);
        for (long e = 0; e < 4 * Latent; e++)
            Assert.That(pairs.At(e + (e / Latent % 2 == 0 ? Latent : -Latent)), Is.EqualTo(-pairs.At(e)), $"element {e}");
    }
}
