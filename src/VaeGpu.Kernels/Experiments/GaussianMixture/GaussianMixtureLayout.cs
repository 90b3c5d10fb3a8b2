namespace VaeGpu.Kernels;

/// <summary>
/// Where each component of a Gaussian mixture sits in the parameter vector the E-step reads: component k is the
/// block of Stride(d) floats at k * Stride(d), holding [c_k, mu_k (d), W_k (d x d, row-major, lower triangular)] with
/// c_k = log w_k - log|Sigma_k| / 2 - d log(2 pi) / 2 and W_k = L_k^-1 for Sigma_k = L_k L_k^T. Then
/// log w_k + log N(x; mu_k, Sigma_k) = c_k - |W_k (x - mu_k)|^2 / 2: the host factors each small covariance once per
/// iteration, in double, and the kernels need no division, determinant or square root.
/// </summary>
public static class GaussianMixtureLayout
{
    public static int Stride(int dimension) => 1 + dimension + dimension * dimension;

    public static int Constant(int component, int dimension) => component * Stride(dimension);

    public static int Mean(int component, int dimension) => component * Stride(dimension) + 1;

    public static int Whitening(int component, int dimension) => component * Stride(dimension) + 1 + dimension;
}
