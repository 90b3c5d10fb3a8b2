using MathNet.Numerics.Integration;
using VaeGpu.Kernels;

namespace VaeGpu.Host.Experiments.GradientEstimators;

/// <summary>
/// Exact expectations under eps ~ N(0, 1) (x = mu + sigma eps) by composite Gauss-Legendre quadrature over
/// eps in [-12, 12]: the normal density beyond 12 is below 1e-31, far under anything the estimators' polynomial and
/// exponential factors can lift into double precision. Panels of width 0.5 / ceil(max(1, |k| sigma)) in eps span at
/// most half a radian of cos(k x)'s phase and resolve the peak of exp(-k x^2); on such smooth pieces 32 nodes agree
/// with the closed forms to 1e-10 (VarianceMathematicsTests).
/// </summary>
public sealed class GradientQuadrature
{
    const double Limit = 12;
    const int NodesPerPanel = 32, BasePanels = 48;

    readonly double[] nodes, weights;
    readonly double k, sigma;

    public GradientQuadrature(double k, double sigma)
    {
        (this.k, this.sigma) = (k, sigma);
        int panels = BasePanels * (int)Math.Ceiling(Math.Max(1, Math.Abs(k) * sigma));
        var rule = new GaussLegendreRule(-1, 1, NodesPerPanel);
        double width = 2 * Limit / panels;
        nodes = new double[panels * NodesPerPanel];
        weights = new double[nodes.Length];
        double normalisation = 1 / Math.Sqrt(2 * Math.PI);
        for (int panel = 0; panel < panels; panel++)
        {
            double centre = -Limit + (panel + 0.5) * width;
            for (int i = 0; i < NodesPerPanel; i++)
            {
                double eps = centre + 0.5 * width * rule.Abscissas[i];
                nodes[panel * NodesPerPanel + i] = eps;
                weights[panel * NodesPerPanel + i] = 0.5 * width * rule.Weights[i] * normalisation * Math.Exp(-0.5 * eps * eps);
            }
        }
    }

    /// <summary>E[h(eps)], eps ~ N(0, 1).</summary>
    public double Expectation(Func<double, double> h)
    {
        double total = 0;
        for (int i = 0; i < nodes.Length; i++) total += weights[i] * h(nodes[i]);
        return total;
    }

    /// <summary>Mean, variance and fourth central moment of g(eps), the central ones integrated about the mean.</summary>
    public EstimatorMoments Moments(Func<double, double> g)
    {
        double mean = Expectation(g);
        double variance = Expectation(eps => Math.Pow(g(eps) - mean, 2));
        double fourth = Expectation(eps => Math.Pow(g(eps) - mean, 4));
        return new(mean, variance, fourth);
    }

    /// <summary>
    /// E[h(W)], W Rayleigh (Weibull(sqrt 2, 2), density w e^(-w^2/2) on w > 0) = sqrt(2 pi) / 2 E[h(|eps|) |eps|] under the
    /// normal rule; 0 is a panel boundary (the panel count is even), so the kink of |eps| costs no accuracy.
    /// </summary>
    public double RayleighExpectation(Func<double, double> h) => Math.Sqrt(2 * Math.PI) / 2 * Expectation(eps => h(Math.Abs(eps)) * Math.Abs(eps));

    /// <summary>
    /// E[h(M, U)], M double-sided Maxwell (density m^2 phi(m)) and U uniform on [0, 1]: E[eps^2 integral_0^1 h(eps, u) du]
    /// under the normal rule, the inner integral by composite Gauss-Legendre with a panel per 2 radians of cos(k sigma m u)'s phase.
    /// </summary>
    public double MaxwellUniformExpectation(Func<double, double, double> h)
    {
        var rule = new GaussLegendreRule(-1, 1, NodesPerPanel);
        return Expectation(m =>
        {
            int panels = 1 + (int)(Math.Abs(k * sigma * m) / 2);
            double width = 1.0 / panels, inner = 0;
            for (int panel = 0; panel < panels; panel++)
                for (int i = 0; i < NodesPerPanel; i++)
                    inner += 0.5 * width * rule.Weights[i] * h(m, (panel + 0.5 + 0.5 * rule.Abscissas[i]) * width);
            return m * m * inner;
        });
    }

    /// <summary>The measure-valued estimator's moments: d/dmu over its Weibull draw, d/dsigma over its (Maxwell, uniform) pair.</summary>
    static (EstimatorMoments Mu, EstimatorMoments Sigma) MeasureValuedMoments(GradientQuadrature quadrature, GradientEstimatorCost cost, double k, double mu, double sigma)
    {
        double MuTerm(double w) => GradientEstimatorExact.MeasureValuedMu(cost, k, mu, sigma, w);
        double muMean = quadrature.RayleighExpectation(MuTerm);
        var muMoments = new EstimatorMoments(muMean,
            quadrature.RayleighExpectation(w => Math.Pow(MuTerm(w) - muMean, 2)),
            quadrature.RayleighExpectation(w => Math.Pow(MuTerm(w) - muMean, 4)));
        double SigmaTerm(double m, double u) => GradientEstimatorExact.MeasureValuedSigma(cost, k, mu, sigma, m, u);
        double sigmaMean = quadrature.MaxwellUniformExpectation(SigmaTerm);
        var sigmaMoments = new EstimatorMoments(sigmaMean,
            quadrature.MaxwellUniformExpectation((m, u) => Math.Pow(SigmaTerm(m, u) - sigmaMean, 2)),
            quadrature.MaxwellUniformExpectation((m, u) => Math.Pow(SigmaTerm(m, u) - sigmaMean, 4)));
        return (muMoments, sigmaMoments);
    }

    /// <summary>The exact gradient, the optimal baselines and every estimator's moments for the settings.</summary>
    public static ExactGradients Solve(GradientEstimatorCost cost, double k, double mu, double sigma)
    {
        var quadrature = new GradientQuadrature(k, sigma);
        double Cost(double eps) => GradientEstimatorExact.Cost(cost, k, mu + sigma * eps);
        // b* = E[f s^2] / E[s^2] with E[s_mu^2] = 1 / sigma^2 and E[s_sigma^2] = 2 / sigma^2: the constant minimising Var((f - b) s).
        double baselineMu = quadrature.Expectation(eps => Cost(eps) * eps * eps);
        double baselineSigma = quadrature.Expectation(eps => Cost(eps) * (eps * eps - 1) * (eps * eps - 1)) / 2;
        var moments = new Dictionary<(GradientEstimator, GradientParameter), EstimatorMoments>();
        foreach (var estimator in GaussianGradientExperiment.Estimators)
        {
            if (estimator == GradientEstimator.MeasureValued)
            {
                (moments[(estimator, GradientParameter.Mu)], moments[(estimator, GradientParameter.Sigma)]) = MeasureValuedMoments(quadrature, cost, k, mu, sigma);
                continue;
            }
            moments[(estimator, GradientParameter.Mu)] = quadrature.Moments(eps =>
                GradientEstimatorExact.Estimate(estimator, cost, k, mu, sigma, eps, baselineMu, baselineSigma).Mu);
            moments[(estimator, GradientParameter.Sigma)] = quadrature.Moments(eps =>
                GradientEstimatorExact.Estimate(estimator, cost, k, mu, sigma, eps, baselineMu, baselineSigma).Sigma);
        }
        // The path-wise estimator's integrand is the smoothest (no score polynomial), so its mean is the gradient quoted.
        return new(moments[(GradientEstimator.Pathwise, GradientParameter.Mu)].Mean, moments[(GradientEstimator.Pathwise, GradientParameter.Sigma)].Mean,
            baselineMu, baselineSigma, moments);
    }
}
