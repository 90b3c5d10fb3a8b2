using MathNet.Numerics;
using MathNet.Numerics.Integration;
using VaeGpu.Kernels;
using VaeGpu.References;
using VaeGpu.Runtime.ImplicitPosterior;

namespace VaeGpu.Tests.Implicit;

/// <summary>The Gamma and Dirichlet encoders' step (ImplicitPosteriorKernels) on every backend against ImplicitPosteriorReference.</summary>
public class ImplicitPosteriorTests
{
    const int Batch = 5, Latent = 3;

    static IEnumerable<TestCaseData> BackendsPosteriorsAndDraws() =>
        from backend in Backends.All
        from posterior in new[] { Posterior.Gamma, Posterior.Dirichlet }
        from draws in new[] { 1, 2 }
        select new TestCaseData(backend, posterior, draws);

    static float[] Head(Posterior posterior, int seed) => RandomArrays.Uniform(Batch * Latent * ImplicitPosteriorMath.HeadColumns(posterior), seed, -1.5f, 2f);

    /// <summary>The Gammas the kernels draw for z element e, from their own sampler (the reference takes them as an input).</summary>
    static double[] LogGammas(Posterior posterior, float[] head, int drawsPerImage, ulong seed, ulong stream)
    {
        var logGammas = new double[Batch * drawsPerImage * Latent];
        for (int element = 0; element < logGammas.Length; element++)
        {
            int image = element / Latent / drawsPerImage, j = element % Latent;
            float shape = posterior == Posterior.Gamma
                ? ImplicitPosteriorMath.GammaShape(head[image * 2 * Latent + j])
                : ImplicitPosteriorMath.Concentration(head[image * Latent + j]);
            logGammas[element] = GammaMath.SampleLog(shape, seed, stream, element);
        }
        return logGammas;
    }

    [TestCaseSource(nameof(BackendsPosteriorsAndDraws))]
    public void ForwardMatchesTheReference(string backendName, Posterior posterior, int drawsPerImage)
    {
        var backend = Backends.Get(backendName);
        var operations = Operations(backendName);
        float[] head = Head(posterior, 7);
        int rows = Batch * drawsPerImage;
        var (z, kl, logRatio) = (backend.Allocate(rows, Latent), backend.Allocate(rows, 1), backend.Allocate(rows, 1));
        operations.Forward(posterior, backend.Upload(head, Batch, head.Length / Batch), 3, 4, z, kl, logRatio);

        double[] logGammas = LogGammas(posterior, head, drawsPerImage, 3, 4);
        var expected = posterior == Posterior.Gamma
            ? ImplicitPosteriorReference.GammaForward(head, Latent, logGammas, drawsPerImage)
            : ImplicitPosteriorReference.DirichletForward(head, Latent, logGammas, drawsPerImage);
        AssertClose(backend.Download(z), expected.Z, 1e-4, "z");
        AssertClose(backend.Download(kl), expected.Kl, 1e-4, "KL");
        AssertClose(backend.Download(logRatio), expected.LogRatio, 1e-4, "log p(z) - log q(z|x)");
    }

    [TestCaseSource(nameof(BackendsAndPosteriors))]
    public void BackwardMatchesTheReference(string backendName, Posterior posterior)
    {
        var backend = Backends.Get(backendName);
        var operations = Operations(backendName);
        float[] head = Head(posterior, 8), upstream = RandomArrays.Uniform(Batch * Latent, 9, -2f, 2f);
        var headTensor = backend.Upload(head, Batch, head.Length / Batch);
        var (z, kl, logRatio, dHead) = (backend.Allocate(Batch, Latent), backend.Allocate(Batch, 1), backend.Allocate(Batch, 1), backend.Allocate(Batch, head.Length / Batch));
        operations.Forward(posterior, headTensor, 5, 6, z, kl, logRatio);
        operations.Backward(posterior, headTensor, 5, 6, z, backend.Upload(upstream, Batch, Latent), 0.7f, dHead);

        double[] logGammas = LogGammas(posterior, head, 1, 5, 6);
        double[] expected = posterior == Posterior.Gamma
            ? ImplicitPosteriorReference.GammaBackward(head, Latent, logGammas, upstream, 0.7)
            : ImplicitPosteriorReference.DirichletBackward(head, Latent, logGammas, upstream, 0.7);
        AssertClose(backend.Download(dHead), expected, 2e-4, "dHead");
    }

    static IEnumerable<TestCaseData> BackendsAndPosteriors() =>
        from backend in Backends.All
        from posterior in new[] { Posterior.Gamma, Posterior.Dirichlet }
        select new TestCaseData(backend, posterior);

    /// <summary>
    /// The reference's closed-form gradient against central differences of the loss along the inverse CDF (each Gamma at a
    /// fixed quantile while its shape moves): the implicit gradient is the derivative of that path.
    /// </summary>
    [TestCase(Posterior.Gamma)]
    [TestCase(Posterior.Dirichlet)]
    public void ClosedFormGradientMatchesFiniteDifferencesAlongTheInverseCdf(Posterior posterior)
    {
        float[] head = Head(posterior, 10), upstream = RandomArrays.Uniform(Batch * Latent, 11, -2f, 2f);
        double[] logGammas = LogGammas(posterior, head, 1, 12, 13);
        double[] closedForm = posterior == Posterior.Gamma
            ? ImplicitPosteriorReference.GammaBackward(head, Latent, logGammas, upstream, 0.7)
            : ImplicitPosteriorReference.DirichletBackward(head, Latent, logGammas, upstream, 0.7);
        const double Step = 1e-5;
        for (int i = 0; i < head.Length; i++)
        {
            double[] up = head.Select(v => (double)v).ToArray(), down = head.Select(v => (double)v).ToArray();
            up[i] += Step;
            down[i] -= Step;
            double difference = (ImplicitPosteriorReference.Loss(posterior, head, up, Latent, logGammas, upstream, 0.7)
                - ImplicitPosteriorReference.Loss(posterior, head, down, Latent, logGammas, upstream, 0.7)) / (2 * Step);
            Assert.That(closedForm[i], Is.EqualTo(difference).Within(1e-6 + 1e-5 * Math.Abs(difference)), $"head element {i}");
        }
    }

    /// <summary>The closed-form KLs against quadrature of q log(q / p): Gamma on (0, inf), Dirichlet with two coordinates (a Beta) on (0, 1).</summary>
    [TestCase(0.4, 2.5)]
    [TestCase(3.0, 0.7)]
    public void ClosedFormKlsMatchQuadrature(double a, double b)
    {
        double LogGammaDensity(double shape, double rate, double z) => shape * Math.Log(rate) + (shape - 1) * Math.Log(z) - rate * z - SpecialFunctions.GammaLn(shape);
        // Over s = log z, where q's z^(a - 1) singularity at 0 becomes a smooth e^(a s) tail (below e^-80 at s = -200).
        double gammaKl = DoubleExponentialTransformation.Integrate(s =>
        {
            double z = Math.Exp(s);
            return z * Math.Exp(LogGammaDensity(a, b, z)) * (LogGammaDensity(a, b, z) - LogGammaDensity(1, 1, z));
        }, -200, 8, 1e-12);
        Assert.That(ImplicitPosteriorReference.GammaKl(a, b), Is.EqualTo(gammaKl).Within(1e-8));
        // Over the logit s of x, for the same reason: log x = -softplus(-s), log(1 - x) = -softplus(s), dx = x (1 - x) ds.
        // The uniform prior's log density is 0.
        static double Softplus(double t) => t > 0 ? t + Math.Log(1 + Math.Exp(-t)) : Math.Log(1 + Math.Exp(t));
        double betaKl = DoubleExponentialTransformation.Integrate(s =>
        {
            double logX = -Softplus(-s), logOneMinusX = -Softplus(s);
            double logDensity = SpecialFunctions.GammaLn(a + b) - SpecialFunctions.GammaLn(a) - SpecialFunctions.GammaLn(b) + (a - 1) * logX + (b - 1) * logOneMinusX;
            return Math.Exp(logDensity + logX + logOneMinusX) * logDensity;
        }, -200, 200, 1e-12);
        Assert.That(ImplicitPosteriorReference.DirichletKl([a, b]), Is.EqualTo(betaKl).Within(1e-8));
        // And the float kernels' KLs against the same closed forms.
        Assert.That(ImplicitPosteriorMath.GammaKl((float)a, (float)b), Is.EqualTo(gammaKl).Within(1e-5 * (1 + Math.Abs(gammaKl))));
    }

    static IImplicitPosteriorOperations Operations(string backend) => Backends.ImplicitPosterior(backend);

    static void AssertClose(float[] actual, double[] expected, double relative, string what)
    {
        Assert.That(actual.Length, Is.EqualTo(expected.Length), what);
        for (int i = 0; i < actual.Length; i++)
            Assert.That(actual[i], Is.EqualTo(expected[i]).Within(relative * (1 + Math.Abs(expected[i]))), $"{what} element {i}");
    }
}
