using VaeGpu.Kernels;

namespace VaeGpu.Host.Experiments.GradientEstimators;

/// <summary>
/// The quadrature's answers for one setting: the gradient of E[f(x)], the optimal constant baselines, and each
/// estimator's exact moments (ScoreBaseline's with the exact optimal baselines, not the sampled ones a run uses).
/// </summary>
public sealed record ExactGradients(double Mu, double Sigma, double BaselineMu, double BaselineSigma,
    IReadOnlyDictionary<(GradientEstimator, GradientParameter), EstimatorMoments> Moments)
{
    public double Gradient(GradientParameter parameter) => parameter == GradientParameter.Mu ? Mu : Sigma;

    public EstimatorMoments For(GradientEstimator estimator, GradientParameter parameter) => Moments[(estimator, parameter)];
}
