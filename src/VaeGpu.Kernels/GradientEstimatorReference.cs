namespace VaeGpu.Kernels;

/// <summary>
/// The plain managed reference for GradientEstimatorKernels, one sample at a time in double, and the double
/// single-sample estimators that the quadrature integrates.
/// </summary>
public static class GradientEstimatorReference
{
    /// <summary>Fills terms (2 x count, as the kernels lay it out) for samples first .. first + count - 1 of (seed, stream).</summary>
    public static void Terms(float[] terms, GradientEstimatorKind estimator, GradientEstimatorCost cost, double k, double mu, double sigma,
        double baselineMu, double baselineSigma, double centreMu, double centreSigma, ulong seed, ulong stream, long first)
    {
        int count = terms.Length / 2;
        for (int i = 0; i < count; i++)
        {
            double eps = RandomMath.NormalAt(seed, stream, first + i);
            var (gMu, gSigma) = Estimate(estimator, cost, k, mu, sigma, eps, baselineMu, baselineSigma);
            terms[i] = (float)(gMu - centreMu);
            terms[count + i] = (float)(gSigma - centreSigma);
        }
    }

    /// <summary>The baseline numerators f eps^2 and f (eps^2 - 1)^2 / 2 (see GradientEstimatorMath.Baseline).</summary>
    public static void BaselineTerms(float[] terms, GradientEstimatorCost cost, double k, double mu, double sigma, ulong seed, ulong stream, long first)
    {
        int count = terms.Length / 2;
        for (int i = 0; i < count; i++)
        {
            double eps = RandomMath.NormalAt(seed, stream, first + i), f = Cost(cost, k, mu + sigma * eps);
            terms[i] = (float)(f * eps * eps);
            terms[count + i] = (float)(0.5 * f * (eps * eps - 1) * (eps * eps - 1));
        }
    }

    /// <summary>The estimator's value at noise eps (x = mu + sigma eps); the baselines matter only for ScoreBaseline.</summary>
    public static (double Mu, double Sigma) Estimate(GradientEstimatorKind estimator, GradientEstimatorCost cost, double k, double mu, double sigma,
        double eps, double baselineMu, double baselineSigma)
    {
        double x = mu + sigma * eps;
        switch (estimator)
        {
            case GradientEstimatorKind.Pathwise:
                double derivative = CostDerivative(cost, k, x);
                return (derivative, derivative * eps);
            case GradientEstimatorKind.Score:
                return (Cost(cost, k, x) * eps / sigma, Cost(cost, k, x) * (eps * eps - 1) / sigma);
            case GradientEstimatorKind.ScoreBaseline:
                double f = Cost(cost, k, x);
                return ((f - baselineMu) * eps / sigma, (f - baselineSigma) * (eps * eps - 1) / sigma);
            default:
                throw new ArgumentOutOfRangeException(nameof(estimator), estimator, "not a GradientEstimatorKind.");
        }
    }

    public static double Cost(GradientEstimatorCost cost, double k, double x) => cost switch
    {
        GradientEstimatorCost.Quadratic => (x - k) * (x - k),
        GradientEstimatorCost.Exp => Math.Exp(-k * x * x),
        GradientEstimatorCost.Cos => Math.Cos(k * x),
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
