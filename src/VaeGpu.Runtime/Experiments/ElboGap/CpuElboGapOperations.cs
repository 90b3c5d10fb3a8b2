using VaeGpu.Kernels;
using VaeGpu.Runtime.Cpu;

namespace VaeGpu.Runtime.Experiments.ElboGap;

/// <summary>The per-sample ELBO terms on the CPU backend: ElboGapMath.Term, the kernel's own body, over ranges of samples across the backend's team.</summary>
sealed class CpuElboGapOperations(CpuBackend backend) : IElboGapOperations
{
    /// <summary>Samples per parallel task: large enough that scheduling costs nothing next to the work.</summary>
    const int SamplesPerTask = 1 << 14;

    public void Terms(Tensor parameters, ElboGapShape shape, ulong seed, ulong stream, Tensor z, Tensor terms)
    {
        ElboGapShapeCheck.Terms(parameters, shape, z, terms);
        int samples = terms.Rows;
        backend.Team.For((samples + SamplesPerTask - 1) / SamplesPerTask, task =>
        {
            int first = task * SamplesPerTask;
            TermsOfRange(backend.Storage(parameters), shape, seed, stream, backend.Storage(z), backend.Span(terms), first, Math.Min(samples, first + SamplesPerTask));
        });
    }

    static void TermsOfRange(ArrayStorage parameters, ElboGapShape shape, ulong seed, ulong stream,
        ArrayStorage z, Span<float> terms, int firstSample, int endSample)
    {
        for (int sample = firstSample; sample < endSample; sample++)
            terms[sample] = ElboGapMath.Term(sample, parameters, shape, seed, stream, z);
    }
}
