namespace VaeGpu.Kernels;

/// <summary>
/// What a gradient-estimator kernel estimates: d/dmu and d/dsigma of E[f(x)], x ~ N(mu, sigma^2), for the cost
/// (a GradientEstimatorCost as an int) with its parameter k. A plain struct of scalars, so kernels take it by value.
/// </summary>
public struct GradientEstimatorProblem
{
    public int Cost;
    public float K, Mu, Sigma;

    public GradientEstimatorProblem(GradientEstimatorCost cost, float k, float mu, float sigma) =>
        (Cost, K, Mu, Sigma) = ((int)cost, k, mu, sigma);
}
