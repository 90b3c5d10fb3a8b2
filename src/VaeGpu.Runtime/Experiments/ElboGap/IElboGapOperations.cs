using VaeGpu.Kernels;

namespace VaeGpu.Runtime.Experiments.ElboGap;

/// <summary>The ELBO-gap experiment's operation beyond IBackend; reductions use IBackend.Sum and SumOfSquares.</summary>
public interface IElboGapOperations
{
    /// <summary>
    /// For each sample s (terms is n x 1, z is n x k): eps from elements s k .. s k + k - 1 of FillNormal(seed, stream),
    /// z row s = mean + L eps, and terms[s] = log p(x|z) + log p(z) - log q(z) less the centre folded into
    /// shape.Offset. parameters holds the model and q as ElboGapShape lays them out.
    /// </summary>
    void Terms(Tensor parameters, ElboGapShape shape, ulong seed, ulong stream, Tensor z, Tensor terms);

    /// <summary>
    /// Terms as above for rows firstRow .. firstRow + n - 1 of the run's coupled draws (VaeGpu.Kernels.ImageDraws under
    /// <paramref name="sampler"/>, each replicate of rowsPerReplicate rows one point set: antithetic pairs, a Latin
    /// hypercube or a scrambled Sobol set in k dimensions), so a replicate may be reduced in chunks.
    /// </summary>
    void SampledTerms(Tensor parameters, ElboGapShape shape, Sampler sampler, ulong seed, ulong stream, long firstRow, int rowsPerReplicate, Tensor z, Tensor terms);
}
