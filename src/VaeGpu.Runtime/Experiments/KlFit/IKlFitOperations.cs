using VaeGpu.Kernels;

namespace VaeGpu.Runtime.Experiments.KlFit;

/// <summary>
/// The KL-fit experiment's operations (KlFitKernels): mixture samples and per-sample gradient terms of KL divergences
/// between a Gaussian mixture p and q = N(mu, e^r). Sample i of a call is sample first + i of (seed, stream), so chunks
/// of one long run draw what a single call would. parameters is a 1 x 2 tensor (mu, r); terms is 2 x n, d/dmu in
/// row 0 and d/dr in row 1, each term multiplied by scale. Reduce the rows with IBackend.Sum.
/// </summary>
public interface IKlFitOperations
{
    void SampleMixture(UnivariateMixture mixture, ulong seed, ulong stream, long first, Tensor samples);

    /// <summary>
    /// The gradient's terms: forward KL(p || q) as -grad log q(x) at samples x of p; reverse KL(q || p) by the
    /// score function, grad log q(x) (log q(x) - log p(x) + 1) with x from q, or path-wise through x = mu + sigma eps.
    /// </summary>
    void Terms(KlGradient gradient, UnivariateMixture mixture, ulong seed, ulong stream, long first, Tensor parameters, float scale, Tensor terms);

    /// <summary>
    /// The gradient of L_alpha,k (the Rényi bound of groups of k draws from q = N(mu, e^r), path-wise, with
    /// self-normalised weights w^(1 - alpha)) for groups firstGroup .. firstGroup + n - 1: terms is 2 x n, d/dmu in
    /// row 0 and d/dr in row 1, each times scale; group g reads elements g k .. g k + k - 1 of FillNormal(seed, stream).
    /// </summary>
    void RenyiTerms(UnivariateMixture mixture, int k, float alpha, ulong seed, ulong stream, long firstGroup, Tensor parameters, float scale, Tensor terms);

    /// <summary>
    /// Draws of the two-component mixture q by the distributional transform, z = F_q^{-1}(u), with their implicit
    /// gradients: parameters is 1 x 5 (MixtureQParameters order), draws is n x 6, row i holding z and then dz/dtheta.
    /// </summary>
    void MixtureQDraws(ulong seed, ulong stream, long first, Tensor parameters, Tensor draws);

    /// <summary>
    /// Reverse KL(q || p) gradient terms for the mixture q, d/dtheta [log q(z) - log p(z)] along z = F_q^{-1}(u; theta):
    /// parameters is 1 x 5, terms is n x 5 (row i draw i's terms, in parameter order), each term times scale: SumColumns
    /// gives the minibatch's gradient.
    /// </summary>
    void ReverseKlMixtureQTerms(UnivariateMixture target, ulong seed, ulong stream, long first, Tensor parameters, float scale, Tensor terms);
}
