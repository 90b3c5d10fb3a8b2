using VaeGpu.Host.Experiments.GradientEstimators;
using VaeGpu.Kernels;

namespace VaeGpu.Host.Experiments.ImplicitGradients;

/// <summary>
/// The quadrature's answers for one setting: per parameter the gradient d/dtheta E[f(z)], the optimal constant
/// baseline, and each estimator's exact moments (ScoreBaseline's with the exact optimal baseline).
/// </summary>
public sealed record ImplicitExactGradients(IReadOnlyDictionary<ImplicitParameter, double> Gradients, IReadOnlyDictionary<ImplicitParameter, double> Baselines,
    IReadOnlyDictionary<(GradientEstimator, ImplicitParameter), EstimatorMoments> Moments)
{
    public EstimatorMoments For(GradientEstimator estimator, ImplicitParameter parameter) => Moments[(estimator, parameter)];

    /// <summary>
    /// Solves the setting. The gradient quoted is E[f s_theta], a plain integral; the implicit estimator's mean, through
    /// the transported dz/dtheta, must agree with it (ImplicitVarianceMathematicsTests), which checks that transport.
    /// </summary>
    public static ImplicitExactGradients Solve(ImplicitProblem problem)
    {
        var quadrature = new ImplicitQuadrature(problem);
        double[] cost = quadrature.At(problem.CostAt), slope = quadrature.At(problem.CostSlope);
        var (gradients, baselines) = (new Dictionary<ImplicitParameter, double>(), new Dictionary<ImplicitParameter, double>());
        var moments = new Dictionary<(GradientEstimator, ImplicitParameter), EstimatorMoments>();
        foreach (var parameter in problem.Parameters)
        {
            double[] score = quadrature.At(u => problem.Density.Score(parameter, u));
            double[] transport = quadrature.Transport(parameter);
            // b* = E[f s^2] / E[s^2], the constant minimising Var((f - b) s).
            double baseline = quadrature.Expectation([.. cost.Select((f, i) => f * score[i] * score[i])]) / quadrature.Expectation([.. score.Select(s => s * s)]);
            moments[(GradientEstimator.Implicit, parameter)] = quadrature.Moments([.. slope.Select((d, i) => d * transport[i])]);
            moments[(GradientEstimator.Score, parameter)] = quadrature.Moments([.. cost.Select((f, i) => f * score[i])]);
            moments[(GradientEstimator.ScoreBaseline, parameter)] = quadrature.Moments([.. cost.Select((f, i) => (f - baseline) * score[i])]);
            gradients[parameter] = moments[(GradientEstimator.Score, parameter)].Mean;
            baselines[parameter] = baseline;
        }
        return new(gradients, baselines, moments);
    }
}
