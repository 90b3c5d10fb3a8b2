using VaeGpu.Kernels;
using VaeGpu.Runtime.HostPath;

namespace VaeGpu.Runtime.Experiments.ElboGap;

/// <summary>The per-sample ELBO terms on the host backend: ElboGapMath.Term, the kernel's own body, over ranges of samples across the backend's team.</summary>
sealed class HostElboGapOperations(HostBackend backend) : IElboGapOperations
{
    /// <summary>Samples per parallel task: large enough that scheduling costs nothing next to the work.</summary>
    const int SamplesPerTask = 1 << 14;

    public void Terms(Tensor parameters, ElboGapShape shape, ulong seed, ulong stream, Tensor z, Tensor terms) =>
        SampledTerms(parameters, shape, Sampler.Mc, seed, stream, 0, 1, z, terms);

    public void SampledTerms(Tensor parameters, ElboGapShape shape, Sampler sampler, ulong seed, ulong stream, long firstRow, int rowsPerReplicate, Tensor z, Tensor terms)
    {
        ElboGapShapeCheck.Terms(parameters, shape, z, terms);
        ElboGapShapeCheck.Draws(sampler, shape, firstRow, rowsPerReplicate);
        var normals = new ImageDraws<ArrayDirections>(sampler, seed, stream, shape.Latent, rowsPerReplicate, new ArrayDirections(SobolDirections.Table));
        int samples = terms.Rows;
        backend.Team.For((samples + SamplesPerTask - 1) / SamplesPerTask, task =>
        {
            int first = task * SamplesPerTask;
            ArrayStorage storedParameters = backend.Storage(parameters), storedZ = backend.Storage(z);
            Span<float> values = backend.Span(terms);
            for (int sample = first; sample < Math.Min(samples, first + SamplesPerTask); sample++)
                values[sample] = ElboGapMath.Term(sample, firstRow * shape.Latent, storedParameters, shape, normals, storedZ);
        });
    }
}
