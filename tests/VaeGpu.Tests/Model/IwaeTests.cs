using VaeGpu.Host.Model;
using VaeGpu.Kernels;

namespace VaeGpu.Tests.Model;

/// <summary>
/// The importance-weighted VAE: every gradient of each IWAE estimator against central differences of its double
/// surrogate (IwaeLossReference), the bound against the reference, the K = 1 identities (the bound is the sampled
/// ELBO, DReG is STL, STL is the ELBO's STL) and DReG's mean against the plain IWAE gradient's.
/// </summary>
public class IwaeTests
{
    const int Rows = 3, Samples = 4;
    const ulong Seed = 3, Stream = 11;

    static IEnumerable<TestCaseData> Cases() =>
        from backend in (string[])["host", .. Backends.Kernels]
        from likelihood in new[] { Likelihood.Bernoulli, Likelihood.Gaussian }
        from estimator in EncoderEstimators.ImportanceWeighted
        select new TestCaseData(backend, likelihood, estimator);

    static (VaeModel Model, BatchBuffers Buffers, float[] X) Create(string backendName, VaeConfig config, Objective objective, int batch = Rows + 1)
    {
        var backend = Backends.Get(backendName);
        var model = new VaeModel(backend, config, batch, objective);
        model.Initialise(seed: 9);
        float[] x = RandomArrays.Uniform(Rows * config.Inputs, 21, 0f, 1f);
        var b = model.Buffers(Rows); // a short batch: exercises the views
        backend.Upload(x, b.X);
        return (model, b, x);
    }

    /// <summary>Central differences and tolerance as FiniteDifferences states them.</summary>
    [TestCaseSource(nameof(Cases))]
    public void EveryGradientMatchesFiniteDifferencesOfItsSurrogate(string backendName, Likelihood likelihood, GradientEstimator estimator)
    {
        var config = new VaeConfig(Inputs: 6, Hidden: [5], Latent: 3, likelihood, SigmaX: 0.6f);
        var (model, b, x) = Create(backendName, config, Objective.Iwae(Samples));
        var backend = Backends.Get(backendName);

        model.Forward(b, Seed, Stream);
        model.Backward(b, Seed, Stream, klWeight: 1f, estimator);

        double[] at = backend.Download(model.Parameters).Select(v => (double)v).ToArray();
        int encoderEnd = model.Layout.Encoder[^1].End;
        // DReG changes the encoder's gradient only; the decoder's is the plain bound's.
        FiniteDifferences.AssertGradient(backend.Download(model.Gradients), at, (i, moved) =>
            IwaeLossReference.Surrogate(i < encoderEnd ? estimator : GradientEstimator.Pathwise, config, moved, at, x, Rows, Samples, Seed, Stream));
    }

    [TestCaseSource(typeof(Backends), nameof(Backends.All))]
    public void BoundAndRunningLossMatchTheReference(string backendName)
    {
        var config = new VaeConfig(6, [5], 2, Likelihood.Bernoulli, 1f);
        var (model, b, x) = Create(backendName, config, Objective.Iwae(Samples));
        var backend = Backends.Get(backendName);
        backend.Fill(model.RunningSums, 0f);

        model.Forward(b, Seed, Stream);

        double[] parameters = backend.Download(model.Parameters).Select(v => (double)v).ToArray();
        var expected = IwaeLossReference.LogWeights(config, parameters, parameters, x, Rows, Samples, Seed, Stream).Select(IwaeLossReference.LogMeanExp).ToArray();
        Assert.That(backend.Download(b.BoundPerImage), Is.EqualTo(expected).Within(1e-4 * 10));
        float[] sums = backend.Download(model.RunningSums);
        Assert.That(Enumerable.Range(0, Rows).Select(i => (double)sums[2 * i] + sums[2 * i + 1]), Is.EqualTo(expected.Select(bound => -bound)).Within(1e-3),
            "the two columns sum to -L_K");
    }

    /// <summary>
    /// At K = 1 the bound is the single-sample ELBO with a sampled KL, -NLL + log p(z) - log q(z|x); the decoder's gradient
    /// is the ELBO's; DReG is STL, and both are the ELBO's STL.
    /// </summary>
    [TestCaseSource(typeof(Backends), nameof(Backends.All))]
    public void WithOneDrawTheBoundIsTheElboAndDregIsStl(string backendName)
    {
        var backend = Backends.Get(backendName);
        var config = new VaeConfig(6, [5], 2, Likelihood.Bernoulli, 1f);
        var (elbo, elboBuffers, _) = Create(backendName, config, Objective.Elbo);
        var (iwae, iwaeBuffers, _) = Create(backendName, config, Objective.Iwae(1));
        int encoderEnd = elbo.Layout.Encoder[^1].End;
        float[] Gradients(VaeModel model, BatchBuffers b, GradientEstimator estimator)
        {
            model.ComputeGradients(b, Seed, Stream, klWeight: 1f, estimator);
            return backend.Download(model.Gradients);
        }

        float[] elboPathwise = Gradients(elbo, elboBuffers, GradientEstimator.Pathwise);
        float[] nll = backend.Download(elboBuffers.NllPerRow), logRatio = backend.Download(elboBuffers.LogDensityRatioPerRow);
        float[] iwaePathwise = Gradients(iwae, iwaeBuffers, GradientEstimator.Pathwise);
        Assert.That(backend.Download(iwaeBuffers.BoundPerImage), Is.EqualTo(nll.Zip(logRatio, (n, r) => r - n)).Within(1e-4));
        Assert.That(iwaePathwise[encoderEnd..], Is.EqualTo(elboPathwise[encoderEnd..]).Within(1e-6), "the decoder's gradient");

        float[] elboStl = Gradients(elbo, elboBuffers, GradientEstimator.Stl);
        float[] iwaeStl = Gradients(iwae, iwaeBuffers, GradientEstimator.Stl);
        float[] iwaeDreg = Gradients(iwae, iwaeBuffers, GradientEstimator.Dreg);
        Assert.That(iwaeDreg, Is.EqualTo(iwaeStl).Within(1e-6), "DReG is STL at K = 1");
        Assert.That(iwaeStl, Is.EqualTo(elboStl).Within(1e-5), "and STL is the ELBO's STL");
    }

    /// <summary>
    /// DReG is an unbiased estimator of the IWAE gradient: over 20000 independent draws each element's mean lies within
    /// 5 standard errors (of the difference of two independent means) of the plain IWAE gradient's mean; STL is not, for
    /// K > 1 it is biased (Tucker et al. 2019), and its mean must miss somewhere.
    /// </summary>
    [Test]
    public void DregAgreesWithTheIwaeGradientInExpectationAndStlDoesNot()
    {
        var backend = Backends.Get("host");
        var config = new VaeConfig(6, [5], 2, Likelihood.Bernoulli, 1f);
        var (model, b, _) = Create("host", config, Objective.Iwae(Samples), batch: Rows);
        int length = model.Layout.Encoder[^1].End;
        const int draws = 20000;
        (double[] Mean, double[] Variance) Moments(GradientEstimator estimator, ulong firstStream)
        {
            var (sum, sumOfSquares) = (new double[length], new double[length]);
            for (int draw = 0; draw < draws; draw++)
            {
                model.ComputeGradients(b, 1, firstStream + (ulong)draw, klWeight: 1f, estimator);
                float[] gradient = backend.Download(model.Gradients)[..length];
                for (int i = 0; i < length; i++) (sum[i], sumOfSquares[i]) = (sum[i] + gradient[i], sumOfSquares[i] + (double)gradient[i] * gradient[i]);
            }
            var mean = sum.Select(s => s / draws).ToArray();
            return (mean, sumOfSquares.Select((s, i) => s / draws - mean[i] * mean[i]).ToArray());
        }

        var pathwise = Moments(GradientEstimator.Pathwise, 0);
        var dreg = Moments(GradientEstimator.Dreg, 1_000_000);
        var stl = Moments(GradientEstimator.Stl, 2_000_000);
        double Z(int i, (double[] Mean, double[] Variance) other) =>
            Math.Abs(other.Mean[i] - pathwise.Mean[i]) / Math.Sqrt((pathwise.Variance[i] + other.Variance[i]) / draws + 1e-18);
        for (int i = 0; i < length; i++) Assert.That(Z(i, dreg), Is.LessThan(5), $"element {i}");
        Assert.That(Enumerable.Range(0, length).Max(i => Z(i, stl)), Is.GreaterThan(8), "STL's bias shows");
    }

    static IEnumerable<TestCaseData> BackendsAndCoupledSamplers() =>
        from backend in Backends.Kernels.Append("host")
        from sampler in new[] { Sampler.Antithetic, Sampler.Stratified, Sampler.Rqmc }
        select new TestCaseData(backend, sampler);

    /// <summary>
    /// Under coupled draws the path-wise gradient is the exact gradient of the bound with those draws: every element
    /// against central differences of the double bound evaluated at the sampler's normals (ImageDraws over the host table).
    /// </summary>
    [TestCaseSource(nameof(BackendsAndCoupledSamplers))]
    public void CoupledPathwiseGradientMatchesFiniteDifferences(string backendName, Sampler sampler)
    {
        var config = new VaeConfig(6, [5], 3, Likelihood.Bernoulli, 1f);
        var backend = Backends.Get(backendName);
        var model = new VaeModel(backend, config, Rows, Objective.Iwae(Samples), sampler);
        model.Initialise(seed: 9);
        float[] x = RandomArrays.Uniform(Rows * config.Inputs, 21, 0f, 1f);
        var b = model.Buffers(Rows);
        backend.Upload(x, b.X);
        model.ComputeGradients(b, Seed, Stream, klWeight: 1f, GradientEstimator.Pathwise);

        var draws = new ImageDraws<ArrayDirections>(sampler, Seed, Stream, config.Latent, Samples, new ArrayDirections(SobolDirections.Table));
        double[] parameters = backend.Download(model.Parameters).Select(v => (double)v).ToArray();
        FiniteDifferences.AssertGradient(backend.Download(model.Gradients), parameters,
            (_, moved) => IwaeLossReference.Loss(config, moved, x, Rows, Samples, Seed, Stream, e => draws.At(e)));
    }

    /// <summary>
    /// Stratified and Sobol draws are each N(0, I), so the bound stays below log p(x), but as the K weights of an image are
    /// negatively correlated their mean varies less and the bound is tighter: over 4000 steps' draws its mean is above
    /// the plain draws' (by more than 3 standard errors), and the path-wise encoder gradient is less noisy.
    /// </summary>
    [TestCase(Sampler.Stratified)]
    [TestCase(Sampler.Rqmc)]
    public void CoupledDrawsTightenTheBoundAndQuietTheGradient(Sampler coupled)
    {
        var backend = Backends.Get("host");
        var config = new VaeConfig(6, [5], 2, Likelihood.Bernoulli, 1f);
        const int draws = 4000;
        (double BoundMean, double BoundError, double[] Variance) Run(Sampler sampler)
        {
            var model = new VaeModel(backend, config, Rows, Objective.Iwae(8), sampler);
            model.Initialise(seed: 9);
            var b = model.Buffers(Rows);
            backend.Upload(RandomArrays.Uniform(Rows * config.Inputs, 21, 0f, 1f), b.X);
            int length = model.Layout.Encoder[^1].End;
            var bounds = new List<double>();
            var (sum, sumOfSquares) = (new double[length], new double[length]);
            for (int draw = 0; draw < draws; draw++)
            {
                model.ComputeGradients(b, 1, (ulong)draw, klWeight: 1f, GradientEstimator.Pathwise);
                bounds.Add(backend.Download(b.BoundPerImage).Average(v => (double)v));
                float[] gradient = backend.Download(model.Gradients)[..length];
                for (int i = 0; i < length; i++) (sum[i], sumOfSquares[i]) = (sum[i] + gradient[i], sumOfSquares[i] + (double)gradient[i] * gradient[i]);
            }
            double mean = bounds.Average();
            double error = Math.Sqrt(bounds.Sum(v => (v - mean) * (v - mean)) / (draws - 1) / draws);
            return (mean, error, sumOfSquares.Select((s, i) => s / draws - Math.Pow(sum[i] / draws, 2)).ToArray());
        }

        var plain = Run(Sampler.Mc);
        var stratified = Run(coupled);
        Assert.That(stratified.BoundMean - plain.BoundMean, Is.GreaterThan(3 * Math.Sqrt(plain.BoundError * plain.BoundError + stratified.BoundError * stratified.BoundError)));
        double ratio = Enumerable.Range(0, plain.Variance.Length).Where(i => plain.Variance[i] > 0).Average(i => stratified.Variance[i] / plain.Variance[i]);
        Assert.That(ratio, Is.LessThan(0.9), "the mean ratio of coupled to plain variance");
    }
}
