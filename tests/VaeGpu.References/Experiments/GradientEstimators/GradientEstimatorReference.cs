namespace VaeGpu.References;

/// <summary>
/// The plain managed reference for GradientEstimatorKernels, one sample at a time in double: the estimators are
/// GradientEstimatorExact's, the library's double formulas whose quadrature moments VarianceMathematicsTests check
/// against closed forms, not the kernels' float GradientEstimatorMath.
/// </summary>
public static class GradientEstimatorReference
{
    /// <summary>Fills terms (2 x count, as the kernels lay it out) for samples first .. first + count - 1 of (seed, stream).</summary>
    public static void Terms(float[] terms, GradientEstimator estimator, GradientEstimatorCost cost, double k, double mu, double sigma,
        double baselineMu, double baselineSigma, double centreMu, double centreSigma, ulong seed, ulong stream, long first)
    {
        int count = terms.Length / 2;
        for (int i = 0; i < count; i++)
        {
            var bits = Philox4x32.ForBlock(seed, stream, first + i);
            var (gMu, gSigma) = estimator == GradientEstimator.MeasureValued
                ? GradientEstimatorExact.MeasureValued(cost, k, mu, sigma, bits.X0, bits.X1, bits.X2, bits.X3)
                : GradientEstimatorExact.Estimate(estimator, cost, k, mu, sigma, RandomMath.NormalAt(seed, stream, first + i), baselineMu, baselineSigma);
            terms[i] = (float)(gMu - centreMu);
            terms[count + i] = (float)(gSigma - centreSigma);
        }
    }

    /// <summary>
    /// The optimal baselines' numerators f eps^2 and f (eps^2 - 1)^2 / 2: E[f s^2] / E[s^2] for the scores s_mu = eps / sigma
    /// and s_sigma = (eps^2 - 1) / sigma, whose E[s^2] are 1 / sigma^2 and 2 / sigma^2.
    /// </summary>
    public static void BaselineTerms(float[] terms, GradientEstimatorCost cost, double k, double mu, double sigma, ulong seed, ulong stream, long first)
    {
        int count = terms.Length / 2;
        for (int i = 0; i < count; i++)
        {
            double eps = RandomMath.NormalAt(seed, stream, first + i), f = GradientEstimatorExact.Cost(cost, k, mu + sigma * eps);
            terms[i] = (float)(f * eps * eps);
            terms[count + i] = (float)(0.5 * f * (eps * eps - 1) * (eps * eps - 1));
        }
    }
}
