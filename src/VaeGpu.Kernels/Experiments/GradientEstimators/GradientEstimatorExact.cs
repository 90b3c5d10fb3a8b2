namespace VaeGpu.Kernels;

/// <summary>
/// The single-sample estimators and costs in double: what the quadrature integrates for the exact moments, and what
/// GradientEstimatorReference samples. The kernels' float versions are GradientEstimatorMath.
/// </summary>
public static class GradientEstimatorExact
{
    /// <summary>The estimator's value at noise eps (x = mu + sigma eps); the baselines matter only for ScoreBaseline.</summary>
    public static (double Mu, double Sigma) Estimate(GradientEstimator estimator, GradientEstimatorCost cost, double k, double mu, double sigma,
        double eps, double baselineMu, double baselineSigma)
    {
        double x = mu + sigma * eps;
        switch (estimator)
        {
            case GradientEstimator.Pathwise:
                double derivative = CostDerivative(cost, k, x);
                return (derivative, derivative * eps);
            case GradientEstimator.Score:
                return (Cost(cost, k, x) * eps / sigma, Cost(cost, k, x) * (eps * eps - 1) / sigma);
            case GradientEstimator.DeltaPathwise:
                double slope = CostDerivative(cost, k, mu), curvature = CostSecondDerivative(cost, k, mu), d = CostDerivative(cost, k, x);
                return (d - curvature * sigma * eps, (d - slope - curvature * sigma * eps) * eps + curvature * sigma);
            case GradientEstimator.ScoreBaseline:
                double f = Cost(cost, k, x);
                return ((f - baselineMu) * eps / sigma, (f - baselineSigma) * (eps * eps - 1) / sigma);
            default:
                throw new ArgumentOutOfRangeException(nameof(estimator), estimator, "not a GradientEstimator.");
        }
    }

    /// <summary>The measure-valued estimator of d/dmu at Weibull(sqrt 2, 2) draw w (both sides coupled through w).</summary>
    public static double MeasureValuedMu(GradientEstimatorCost cost, double k, double mu, double sigma, double w) =>
        (Cost(cost, k, mu + sigma * w) - Cost(cost, k, mu - sigma * w)) / (sigma * Math.Sqrt(2 * Math.PI));

    /// <summary>The measure-valued estimator of d/dsigma at double-sided Maxwell draw m and uniform u (eps = m u).</summary>
    public static double MeasureValuedSigma(GradientEstimatorCost cost, double k, double mu, double sigma, double m, double u) =>
        (Cost(cost, k, mu + sigma * m) - Cost(cost, k, mu + sigma * m * u)) / sigma;

    /// <summary>
    /// The measure-valued estimator at one Philox block's words (GradientEstimatorMath.MeasureValued's recipe), in double.
    /// </summary>
    public static (double Mu, double Sigma) MeasureValued(GradientEstimatorCost cost, double k, double mu, double sigma, uint a, uint b, uint c, uint d)
    {
        double radiusSquared = -2 * Math.Log(RandomMath.Uniform(a));
        double third = Math.Cos(2 * Math.PI * RandomMath.Uniform(c));
        double maxwell = Math.Sqrt(radiusSquared - 2 * Math.Log(RandomMath.Uniform(b)) * third * third) * ((d & 1u) != 0 ? -1 : 1);
        return (MeasureValuedMu(cost, k, mu, sigma, Math.Sqrt(radiusSquared)), MeasureValuedSigma(cost, k, mu, sigma, maxwell, RandomMath.Uniform(d)));
    }

    /// <summary>The measure-valued estimator at four uniforms (GradientEstimatorMath.MeasureValuedAtUniforms' recipe), in double.</summary>
    public static (double Mu, double Sigma) MeasureValuedAtUniforms(GradientEstimatorCost cost, double k, double mu, double sigma, double ua, double ub, double uc, double ud)
    {
        double radiusSquared = -2 * Math.Log(ua);
        double third = Math.Cos(2 * Math.PI * uc);
        bool negative = ud >= 0.5;
        double maxwell = Math.Sqrt(radiusSquared - 2 * Math.Log(ub) * third * third) * (negative ? -1 : 1);
        return (MeasureValuedMu(cost, k, mu, sigma, Math.Sqrt(radiusSquared)), MeasureValuedSigma(cost, k, mu, sigma, maxwell, negative ? 2 * ud - 1 : 2 * ud));
    }

    public static double Cost(GradientEstimatorCost cost, double k, double x) => cost switch
    {
        GradientEstimatorCost.Quadratic => (x - k) * (x - k),
        GradientEstimatorCost.Exp => Math.Exp(-k * x * x),
        GradientEstimatorCost.Cos => Math.Cos(k * x),
        _ => throw new ArgumentOutOfRangeException(nameof(cost), cost, "not a GradientEstimatorCost."),
    };

    public static double CostSecondDerivative(GradientEstimatorCost cost, double k, double x) => cost switch
    {
        GradientEstimatorCost.Quadratic => 2,
        GradientEstimatorCost.Exp => (4 * k * k * x * x - 2 * k) * Math.Exp(-k * x * x),
        GradientEstimatorCost.Cos => -k * k * Math.Cos(k * x),
        _ => throw new ArgumentOutOfRangeException(nameof(cost), cost, "not a GradientEstimatorCost."),
    };

    public static double CostDerivative(GradientEstimatorCost cost, double k, double x) => cost switch
    {
        GradientEstimatorCost.Quadratic => 2 * (x - k),
        GradientEstimatorCost.Exp => -2 * k * x * Math.Exp(-k * x * x),
        GradientEstimatorCost.Cos => -k * Math.Sin(k * x),
        _ => throw new ArgumentOutOfRangeException(nameof(cost), cost, "not a GradientEstimatorCost."),
    };
}
