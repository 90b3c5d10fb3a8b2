using VaeGpu.Kernels;
using VaeGpu.Runtime.Cpu;

namespace VaeGpu.Runtime.Experiments.ElboGap;

/// <summary>The per-sample ELBO terms on the host path: ElboGapKernels.Terms' arithmetic, in float, over ranges of samples in parallel.</summary>
sealed class CpuElboGapOperations(CpuBackend backend) : IElboGapOperations
{
    /// <summary>Samples per parallel task: large enough that scheduling costs nothing next to the work.</summary>
    const int SamplesPerTask = 1 << 14;

    public void Terms(Tensor parameters, ElboGapShape shape, ulong seed, ulong stream, Tensor z, Tensor terms)
    {
        ElboGapShapeCheck.Terms(parameters, shape, z, terms);
        int samples = terms.Rows;
        Parallel.For(0, (samples + SamplesPerTask - 1) / SamplesPerTask, task =>
        {
            int first = task * SamplesPerTask;
            TermsOfRange(backend.Span(parameters), shape, seed, stream, backend.Span(z), backend.Span(terms), first, Math.Min(samples, first + SamplesPerTask));
        });
    }

    static void TermsOfRange(ReadOnlySpan<float> parameters, ElboGapShape shape, ulong seed, ulong stream,
        Span<float> z, Span<float> terms, int firstSample, int endSample)
    {
        int latent = shape.Latent;
        for (int sample = firstSample; sample < endSample; sample++)
        {
            var row = z.Slice(sample * latent, latent);
            float epsSquares = 0f;
            for (int l = 0; l < latent; l++)
            {
                row[l] = RandomMath.NormalAt(seed, stream, (long)sample * latent + l);
                epsSquares += row[l] * row[l];
            }
            // In place from the last row up, as the kernel does: row j of L reads only eps_0 .. eps_j.
            float zSquares = 0f;
            for (int j = latent - 1; j >= 0; j--)
            {
                float value = parameters[shape.MeanStart + j];
                for (int l = 0; l <= j; l++) value += parameters[shape.FactorStart + j * latent + l] * row[l];
                row[j] = value;
                zSquares += value * value;
            }
            float residualSquares = 0f;
            for (int i = 0; i < shape.Observed; i++)
            {
                float residual = parameters[i] - parameters[shape.BiasStart + i];
                for (int j = 0; j < latent; j++) residual -= parameters[shape.WeightsStart + i * latent + j] * row[j];
                residualSquares += residual * residual;
            }
            terms[sample] = shape.Offset - 0.5f * shape.InverseNoiseVariance * residualSquares - 0.5f * zSquares + 0.5f * epsSquares;
        }
    }
}
