namespace VaeGpu.Runtime.Experiments.GaussianMixture;

/// <summary>
/// EM's two data passes for a Gaussian mixture (kernels: VaeGpu.Kernels.GaussianMixtureKernels). Points are N x d,
/// responsibilities N x K, parameters 1 x K Stride(d) (GaussianMixtureLayout). The rest of EM needs only IBackend:
/// SumColumns for N_k and the block partials, MatMul for R^T X, Sum for the log-likelihood.
/// </summary>
public interface IGaussianMixtureOperations
{
    /// <summary>E-step: responsibilities (N x K) and each point's log p(x_n) (N x 1).</summary>
    void Responsibilities(Tensor points, Tensor parameters, Tensor responsibilities, Tensor logDensity);

    /// <summary>Rows of the partials tensor WeightedScatterPartials fills for pointCount points (one per block of points).</summary>
    int ScatterPartialRows(int pointCount);

    /// <summary>
    /// partials (ScatterPartialRows(N) x K d d): per block of points, sum r_nk (x_n - m_k)(x_n - m_k)^T with m_k the means
    /// in parameters; SumColumns of it is the whole scatter.
    /// </summary>
    void WeightedScatterPartials(Tensor points, Tensor responsibilities, Tensor parameters, Tensor partials);
}
