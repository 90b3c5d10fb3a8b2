using VaeGpu.Host.Experiments.MonteCarlo;
using VaeGpu.Kernels;
using VaeGpu.Runtime.Experiments.MonteCarlo;

namespace VaeGpu.Tests.Experiments;

/// <summary>The Monte Carlo integrand on every backend against MonteCarloReference, and the chunked reduction over it.</summary>
public class MonteCarloTests
{
    /// <summary>Not a multiple of 4, so the last Philox block is partly used.</summary>
    const int Length = 1001;

    public static IEnumerable<TestCaseData> BackendsAndIntegrands() =>
        from backend in Backends.All
        from integrand in Enum.GetValues<GaussianIntegrand>()
        select new TestCaseData(backend, integrand);

    /// <summary>
    /// Equal up to the last bits of each device's log/sin/cos in Box-Muller and of f, relative to the value's size
    /// (exp(z) reaches e^6 here). The indicator could flip only for a z within rounding of 0, which these draws avoid.
    /// </summary>
    [TestCaseSource(nameof(BackendsAndIntegrands))]
    public void IntegrandMatchesTheReference(string backendName, GaussianIntegrand integrand)
    {
        var backend = Backends.Get(backendName);
        var values = backend.Allocate(Length, 1);
        MonteCarloOperations.For(backend).Integrand(integrand, 0.5f, 1.5f, 7, 11, values);

        float[] expected = new float[Length];
        MonteCarloReference.Integrand(expected, integrand, 0.5f, 1.5f, 7, 11);
        float[] actual = backend.Download(values);
        for (int e = 0; e < Length; e++)
            Assert.That(actual[e], Is.EqualTo(expected[e]).Within(2e-5 * Math.Max(1, Math.Abs(expected[e]))), $"element {e}");
    }

    /// <summary>
    /// The reference draws FillNormal's normals: f = identity with mu 0, sigma 1 gives the fill itself, up to the float
    /// Box-Muller the reference's noise shares with the kernels (RandomReference's is in double).
    /// </summary>
    [Test]
    public void ReferenceUsesTheFillNormalStream()
    {
        float[] values = new float[Length], normals = new float[Length];
        MonteCarloReference.Integrand(values, GaussianIntegrand.Identity, 0f, 1f, 3, 4);
        RandomReference.FillNormal(normals, 3, 4);
        Assert.That(values, Is.EqualTo(normals).Within(2e-5f));
    }

    /// <summary>
    /// Chunks of 1000 over 2500 values (two full, one short, each its own stream) give the moments of the three
    /// reference chunks laid end to end; float chunk sums against double ones, to a relative 1e-5.
    /// </summary>
    [TestCaseSource(typeof(Backends), nameof(Backends.All))]
    public void ChunkReducerAddsChunkMomentsInDouble(string backendName)
    {
        var backend = Backends.Get(backendName);
        var operations = MonteCarloOperations.For(backend);
        var moments = new ChunkReducer(backend, chunkLength: 1000).Reduce(2500, (values, chunk) =>
            operations.Integrand(GaussianIntegrand.Square, 0.5f, 1.5f, 7, MonteCarloStreams.Chunk(GaussianIntegrand.Square, 3, chunk), values));

        double sum = 0, squares = 0;
        foreach (var (chunk, length) in new[] { (0, 1000), (1, 1000), (2, 500) })
        {
            float[] values = new float[length];
            MonteCarloReference.Integrand(values, GaussianIntegrand.Square, 0.5f, 1.5f, 7, MonteCarloStreams.Chunk(GaussianIntegrand.Square, 3, chunk));
            sum += values.Sum(v => (double)v);
            squares += values.Sum(v => (double)v * v);
        }
        Assert.That(moments.Count, Is.EqualTo(2500));
        Assert.That(moments.Sum, Is.EqualTo(sum).Within(1e-5 * sum));
        Assert.That(moments.SumOfSquares, Is.EqualTo(squares).Within(1e-5 * squares));
    }
}
