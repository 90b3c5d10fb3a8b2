using VaeGpu.Host.Experiments.GradientEstimators;
using VaeGpu.Kernels;

namespace VaeGpu.Host.Experiments.ImplicitGradients;

/// <summary>
/// The quadrature's answers for one setting: per parameter the gradient d/dtheta E[f(z)], the optimal constant
/// baseline, and each estimator's exact moments (ScoreBaseline's with the exact optimal baseline). Transported holds
/// the moments of f'(z) dz/dtheta with dz/dtheta from the one-dimensional CDF. That is the implicit estimator itself
/// for Gamma and von Mises, whose draws are one-dimensional; a Beta draw is G1 / (G1 + G2), whose gradient through the
/// two Gammas also varies with G1 + G2 at fixed z: its mean is the same, its variance larger by E[Var(. | z)], a
/// two-dimensional integral not computed, so Beta's implicit estimator has no exact variance here (Transported's is
/// the lower bound its conditional expectation reaches).
/// </summary>
public sealed record ImplicitExactGradients(IReadOnlyDictionary<ImplicitParameter, double> Gradients, IReadOnlyDictionary<ImplicitParameter, double> Baselines,
    IReadOnlyDictionary<(GradientEstimator, ImplicitParameter), EstimatorMoments> Moments, IReadOnlyDictionary<ImplicitParameter, EstimatorMoments> Transported)
{
    /// <summary>The estimator's exact moments, or null where they are not computed (Beta's implicit estimator).</summary>
    public EstimatorMoments? For(GradientEstimator estimator, ImplicitParameter parameter) => Moments.GetValueOrDefault((estimator, parameter));

    /// <summary>
    /// Solves the setting. The gradient quoted is E[f s_theta], a plain integral; the transported estimator's mean must agree with it (ImplicitVarianceMathematicsTests), which checks that transport.
    /// </summary>
    public static ImplicitExactGradients Solve(ImplicitProblem problem)
    {
        var quadrature = new ImplicitQuadrature(problem);
        double[] cost = quadrature.At(problem.CostAt), slope = quadrature.At(problem.CostSlope);
        var (gradients, baselines) = (new Dictionary<ImplicitParameter, double>(), new Dictionary<ImplicitParameter, double>());
        var moments = new Dictionary<(GradientEstimator, ImplicitParameter), EstimatorMoments>();
        var transported = new Dictionary<ImplicitParameter, EstimatorMoments>();
        foreach (var parameter in problem.Parameters)
        {
            double[] score = quadrature.At(u => problem.Density.Score(parameter, u));
            double[] transport = quadrature.Transport(parameter);
            // b* = E[f s^2] / E[s^2], the constant minimising Var((f - b) s).
            double baseline = quadrature.Expectation([.. cost.Select((f, i) => f * score[i] * score[i])]) / quadrature.Expectation([.. score.Select(s => s * s)]);
            transported[parameter] = quadrature.Moments([.. slope.Select((d, i) => d * transport[i])]);
            if (problem.Distribution != ImplicitDistribution.Beta) moments[(GradientEstimator.Implicit, parameter)] = transported[parameter];
            moments[(GradientEstimator.Score, parameter)] = quadrature.Moments([.. cost.Select((f, i) => f * score[i])]);
            moments[(GradientEstimator.ScoreBaseline, parameter)] = quadrature.Moments([.. cost.Select((f, i) => (f - baseline) * score[i])]);
            gradients[parameter] = moments[(GradientEstimator.Score, parameter)].Mean;
            baselines[parameter] = baseline;
        }
        return new(gradients, baselines, moments, transported);
    }
}
