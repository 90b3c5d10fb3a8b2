using VaeGpu.Kernels;

namespace VaeGpu.Runtime.Experiments.MonteCarlo;

/// <summary>The Monte Carlo experiment's operation beyond IBackend; reductions use IBackend.Sum and SumOfSquares.</summary>
public interface IMonteCarloOperations
{
    /// <summary>
    /// Element e of values = f(mu + sigma eps_e) with eps_e element e of FillNormal(seed, stream): the same samples on
    /// every backend, up to the last bits of each device's transcendental functions.
    /// </summary>
    void Integrand(GaussianIntegrand integrand, float mu, float sigma, ulong seed, ulong stream, Tensor values);

    /// <summary>
    /// Element e of values = MonteCarloKernels.SampledValue of point firstPoint + e of replicate
    /// <paramref name="replicate"/> (of <paramref name="pointsPerReplicate"/> points) under the sampler, minus shift.
    /// </summary>
    void SampledIntegrand(GaussianIntegrand integrand, Sampler sampler, float mu, float sigma, ulong seed, ulong stream,
        int replicate, long pointsPerReplicate, long firstPoint, float shift, Tensor values);

    /// <summary>
    /// terms (3 x count): for draw firstPoint + e from the proposal N(proposalMu, proposalSigma^2),
    /// MonteCarloKernels.ImportanceTerm's w f in row 0, w in row 1 and w (w f) in row 2.
    /// </summary>
    void ImportanceTerms(GaussianIntegrand integrand, float mu, float sigma, float proposalMu, float proposalSigma, ulong seed, ulong stream,
        long firstPoint, Tensor terms);
}
