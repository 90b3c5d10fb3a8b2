using VaeGpu.Host.Experiments.ElboGap;
using VaeGpu.Kernels;
using VaeGpu.Runtime.Experiments.ElboGap;

namespace VaeGpu.Tests.Experiments;

/// <summary>The ELBO-term kernel on every backend against ElboGapReference, and its zero spread at the exact posterior.</summary>
public class ElboGapTests
{
    const int Observed = 5, Latent = 3, Samples = 37;

    /// <summary>Random inputs with k = 3, so the in-place triangular product has three rows; float against double to 1e-4.</summary>
    [TestCaseSource(typeof(Backends), nameof(Backends.All))]
    public void TermsMatchTheReference(string backendName)
    {
        var backend = Backends.Get(backendName);
        var shape = new ElboGapShape { Observed = Observed, Latent = Latent, InverseNoiseVariance = 1.7f, Offset = 0.25f };
        float[] parameters = RandomArrays.Uniform(shape.ParameterCount, 21, -1.5f, 1.5f);
        // The factor's diagonal positive, as a Cholesky factor's is; its upper triangle holds values the kernel must ignore.
        for (int j = 0; j < Latent; j++) parameters[shape.FactorStart + j * Latent + j] = 0.3f + Math.Abs(parameters[shape.FactorStart + j * Latent + j]);
        var (z, terms) = (backend.Allocate(Samples, Latent), backend.Allocate(Samples, 1));

        ElboGapOperations.For(backend).Terms(backend.Upload(parameters, shape.ParameterCount, 1), shape, 5, 9, z, terms);

        float[] expectedZ = new float[Samples * Latent], expectedTerms = new float[Samples];
        ElboGapReference.Terms(parameters, shape, 5, 9, expectedZ, expectedTerms);
        Assert.That(backend.Download(z), Is.EqualTo(expectedZ).Within(1e-4f));
        Assert.That(backend.Download(terms), Is.EqualTo(expectedTerms).Within(1e-4f));
    }

    static IEnumerable<TestCaseData> BackendsAndCoupledSamplers() =>
        from backend in Backends.All
        from sampler in new[] { Sampler.Antithetic, Sampler.Stratified, Sampler.Rqmc }
        select new TestCaseData(backend, sampler);

    /// <summary>Rows 30 .. 43 of replicates of 24 coupled points (the second replicate's rows 6 .. 19), against the reference over the same normals.</summary>
    [TestCaseSource(nameof(BackendsAndCoupledSamplers))]
    public void SampledTermsMatchTheReference(string backendName, Sampler sampler)
    {
        const int FirstRow = 30, RowsPerReplicate = 24, Rows = 14;
        var backend = Backends.Get(backendName);
        var shape = new ElboGapShape { Observed = Observed, Latent = Latent, InverseNoiseVariance = 1.7f, Offset = 0.25f };
        float[] parameters = RandomArrays.Uniform(shape.ParameterCount, 21, -1.5f, 1.5f);
        for (int j = 0; j < Latent; j++) parameters[shape.FactorStart + j * Latent + j] = 0.3f + Math.Abs(parameters[shape.FactorStart + j * Latent + j]);
        var (z, terms) = (backend.Allocate(Rows, Latent), backend.Allocate(Rows, 1));

        ElboGapOperations.For(backend).SampledTerms(backend.Upload(parameters, shape.ParameterCount, 1), shape, sampler, 5, 9, FirstRow, RowsPerReplicate, z, terms);

        var normals = CoupledDrawsReference.For(sampler, 5, 9, Latent, RowsPerReplicate);
        float[] expectedZ = new float[Rows * Latent], expectedTerms = new float[Rows];
        ElboGapReference.Terms(parameters, shape, element => normals(FirstRow * Latent + element), expectedZ, expectedTerms);
        double tolerance = sampler == Sampler.Rqmc ? 1e-3 : 1e-4; // MathNet's quantile against Giles' float one
        Assert.That(backend.Download(z), Is.EqualTo(expectedZ).Within(tolerance));
        Assert.That(backend.Download(terms), Is.EqualTo(expectedTerms).Within(10 * tolerance));
    }

    /// <summary>
    /// With q = p(z|x) and no centre, every sample's log p(x, z) - log q(z) is log p(x) itself, up to float rounding
    /// (FloatRounding, 1e-5 relative: the terms are sums of a few dozen float operations on values of size ~10).
    /// </summary>
    [TestCaseSource(typeof(Backends), nameof(Backends.All))]
    public void EveryTermEqualsLogMarginalAtTheExactPosterior(string backendName)
    {
        var backend = Backends.Get(backendName);
        var model = LinearGaussianModel.Draw(5, 2, 1f, seed: 4);
        var x = model.DrawObservation(seed: 4);
        var (mean, covariance) = model.Posterior(x);
        var posterior = Gaussian.RoundedToFloat(mean, covariance);
        var (z, terms) = (backend.Allocate(Samples, 2), backend.Allocate(Samples, 1));

        ElboGapOperations.For(backend).Terms(backend.Upload(ElboGapParameters.Pack(model, x, posterior), ElboGapParameters.Shape(model, posterior, 0).ParameterCount, 1),
            ElboGapParameters.Shape(model, posterior, centre: 0), 4, 5, z, terms);

        double logMarginal = model.LogMarginal(x);
        Assert.That(backend.Download(terms), Is.All.EqualTo(logMarginal).Within(ElboEstimate.FloatRounding * Math.Abs(logMarginal)));
        Assert.That(backend.Download(z).Distinct().Count(), Is.EqualTo(2 * Samples), "the samples differ; only the term is constant");
    }
}
