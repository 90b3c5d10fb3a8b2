namespace VaeGpu.Kernels;

/// <summary>
/// Float formulas of the gradient-estimator kernels, per sample eps ~ N(0, 1) and x = mu + sigma eps. The scores are
/// d/dmu log N(x; mu, sigma^2) = eps / sigma and d/dsigma log N(x; mu, sigma^2) = (eps^2 - 1) / sigma.
/// </summary>
public static class GradientEstimatorMath
{
    public static float Cost(int cost, float k, float x)
    {
        if (cost == (int)GradientEstimatorCost.Quadratic) return (x - k) * (x - k);
        if (cost == (int)GradientEstimatorCost.Exp) return MathF.Exp(-k * x * x);
        return MathF.Cos(k * x);
    }

    public static float CostDerivative(int cost, float k, float x)
    {
        if (cost == (int)GradientEstimatorCost.Quadratic) return 2f * (x - k);
        if (cost == (int)GradientEstimatorCost.Exp) return -2f * k * x * MathF.Exp(-k * x * x);
        return -k * MathF.Sin(k * x);
    }

    /// <summary>(f(x) - baseline) times each score; baselines of 0 give the plain score-function estimator.</summary>
    public static void Score(GradientEstimatorProblem problem, float eps, float baselineMu, float baselineSigma, out float mu, out float sigma)
    {
        float f = Cost(problem.Cost, problem.K, problem.Mu + problem.Sigma * eps);
        mu = (f - baselineMu) * eps / problem.Sigma;
        sigma = (f - baselineSigma) * (eps * eps - 1f) / problem.Sigma;
    }

    public static float CostSecondDerivative(int cost, float k, float x)
    {
        if (cost == (int)GradientEstimatorCost.Quadratic) return 2f;
        if (cost == (int)GradientEstimatorCost.Exp) return (4f * k * k * x * x - 2f * k) * MathF.Exp(-k * x * x);
        return -k * k * MathF.Cos(k * x);
    }

    /// <summary>Path-wise minus the delta-method control variate, plus its known mean (GradientEstimator.DeltaPathwise).</summary>
    public static void DeltaPathwise(GradientEstimatorProblem problem, float eps, out float mu, out float sigma)
    {
        float slope = CostDerivative(problem.Cost, problem.K, problem.Mu);
        float curvature = CostSecondDerivative(problem.Cost, problem.K, problem.Mu);
        float derivative = CostDerivative(problem.Cost, problem.K, problem.Mu + problem.Sigma * eps);
        float expansion = curvature * problem.Sigma * eps;
        mu = derivative - expansion;
        sigma = (derivative - slope - expansion) * eps + curvature * problem.Sigma;
    }

    /// <summary>An estimator of one normal per sample (Score, ScoreBaseline, Pathwise, DeltaPathwise) at eps; Score takes baselines of 0.</summary>
    public static void AtNormal(GradientEstimator estimator, GradientEstimatorProblem problem, float eps, float baselineMu, float baselineSigma, out float mu, out float sigma)
    {
        if (estimator == GradientEstimator.Pathwise) Pathwise(problem, eps, out mu, out sigma);
        else if (estimator == GradientEstimator.DeltaPathwise) DeltaPathwise(problem, eps, out mu, out sigma);
        else Score(problem, eps, baselineMu, baselineSigma, out mu, out sigma);
    }

    /// <summary>
    /// Point <paramref name="point"/> of a replicate of M under a sampler: Antithetic, the mean of the estimator at eps and
    /// -eps with eps element replicate M + point of FillNormal(seed, stream); Stratified and Rqmc, the estimator at
    /// SamplingMath.PointNormal (scramble: the replicate's SamplingMath.ReplicateSeed). MeasureValued, which reads four
    /// uniforms per sample: MeasureValuedAtPoint.
    /// </summary>
    public static void AtPoint<TDirections>(GradientEstimator estimator, Sampler sampler, GradientEstimatorProblem problem, float baselineMu, float baselineSigma,
        ulong seed, ulong stream, int replicate, uint scramble, long pointsPerReplicate, long point, TDirections directions, out float mu, out float sigma)
        where TDirections : struct, IDirectionTable
    {
        if (estimator == GradientEstimator.MeasureValued)
        {
            MeasureValuedAtPoint(sampler, problem, seed, stream, replicate, pointsPerReplicate, point, directions, out mu, out sigma);
            return;
        }
        if (sampler == Sampler.Antithetic)
        {
            float eps = RandomMath.NormalAt(seed, stream, replicate * pointsPerReplicate + point);
            AtNormal(estimator, problem, eps, baselineMu, baselineSigma, out float plusMu, out float plusSigma);
            AtNormal(estimator, problem, -eps, baselineMu, baselineSigma, out float minusMu, out float minusSigma);
            mu = 0.5f * (plusMu + minusMu);
            sigma = 0.5f * (plusSigma + minusSigma);
            return;
        }
        float normal = SamplingMath.PointNormal(sampler, seed, stream, replicate, scramble, pointsPerReplicate, point);
        AtNormal(estimator, problem, normal, baselineMu, baselineSigma, out mu, out sigma);
    }

    const float InverseSqrtTwoPi = 0.398942280401432678f, TwoPi = 6.2831853071795864769f;

    /// <summary>
    /// The measure-valued estimator (GradientEstimator.MeasureValued) from one Philox block's four words a, b, c, d with
    /// u(v) = RandomMath.Uniform: W = sqrt(-2 log u(a)) is Rayleigh; M^2 = -2 log u(a) - 2 log u(b) cos^2(2 pi u(c)) is
    /// chi-square with 3 degrees of freedom (a Box-Muller radius^2 plus one more squared normal), and M takes its sign
    /// from d's lowest bit, which Uniform ignores; U = u(d). d/dmu = (f(mu + sigma W) - f(mu - sigma W)) / (sigma sqrt(2 pi)),
    /// d/dsigma = (f(mu + sigma M) - f(mu + sigma M U)) / sigma.
    /// </summary>
    public static void MeasureValued(GradientEstimatorProblem problem, uint a, uint b, uint c, uint d, out float mu, out float sigma) =>
        MeasureValued(problem, RandomMath.Uniform(a), RandomMath.Uniform(b), RandomMath.Uniform(c), (d & 1u) != 0, RandomMath.Uniform(d), out mu, out sigma);

    /// <summary>
    /// The measure-valued estimator from a point of four uniforms in (0, 1), as the samplers give them: u_a, u_b, u_c as
    /// MeasureValued reads a, b and c; M is negative when u_d >= 1/2, and U = 2 u_d mod 1 (the half and the position in
    /// it are independent uniforms when u_d is one).
    /// </summary>
    public static void MeasureValuedAtUniforms(GradientEstimatorProblem problem, float ua, float ub, float uc, float ud, out float mu, out float sigma)
    {
        bool negative = ud >= 0.5f;
        MeasureValued(problem, ua, ub, uc, negative, negative ? 2f * ud - 1f : 2f * ud, out mu, out sigma);
    }

    static void MeasureValued(GradientEstimatorProblem problem, float ua, float ub, float uc, bool negative, float uniform, out float mu, out float sigma)
    {
        float radiusSquared = -2f * MathF.Log(ua);
        float weibull = MathF.Sqrt(radiusSquared);
        float third = MathF.Cos(TwoPi * uc);
        float maxwell = MathF.Sqrt(radiusSquared - 2f * MathF.Log(ub) * third * third);
        if (negative) maxwell = -maxwell;
        float s = problem.Sigma;
        mu = (Cost(problem.Cost, problem.K, problem.Mu + s * weibull) - Cost(problem.Cost, problem.K, problem.Mu - s * weibull)) * InverseSqrtTwoPi / s;
        sigma = (Cost(problem.Cost, problem.K, problem.Mu + s * maxwell) - Cost(problem.Cost, problem.K, problem.Mu + s * maxwell * uniform)) / s;
    }

    /// <summary>
    /// The measure-valued estimator at point <paramref name="point"/> of a replicate of M, its four uniforms a
    /// four-dimensional point set per replicate (ImageDraws' layout, the replicate its image): Antithetic, the mean at
    /// the Philox block's uniforms u and at 1 - u; Stratified, a Latin hypercube (StratifiedDraws.Uniform); Rqmc, a
    /// scrambled Sobol set (SobolDraws.Uniform).
    /// </summary>
    public static void MeasureValuedAtPoint<TDirections>(Sampler sampler, GradientEstimatorProblem problem, ulong seed, ulong stream, int replicate,
        long pointsPerReplicate, long point, TDirections directions, out float mu, out float sigma) where TDirections : struct, IDirectionTable
    {
        long first = (replicate * pointsPerReplicate + point) * 4;
        if (sampler == Sampler.Antithetic)
        {
            var bits = Philox4x32.ForBlock(seed, stream, replicate * pointsPerReplicate + point);
            float a = RandomMath.Uniform(bits.X0), b = RandomMath.Uniform(bits.X1), c = RandomMath.Uniform(bits.X2), d = RandomMath.Uniform(bits.X3);
            MeasureValuedAtUniforms(problem, a, b, c, d, out float plusMu, out float plusSigma);
            MeasureValuedAtUniforms(problem, 1f - a + TwoToMinus24, 1f - b + TwoToMinus24, 1f - c + TwoToMinus24, 1f - d + TwoToMinus24, out float minusMu, out float minusSigma);
            mu = 0.5f * (plusMu + minusMu);
            sigma = 0.5f * (plusSigma + minusSigma);
            return;
        }
        float ua, ub, uc, ud;
        if (sampler == Sampler.Stratified)
        {
            var draws = new StratifiedDraws(seed, stream, 4, (int)pointsPerReplicate);
            (ua, ub, uc, ud) = (draws.Uniform(first, out _), draws.Uniform(first + 1, out _), draws.Uniform(first + 2, out _), draws.Uniform(first + 3, out _));
        }
        else
        {
            var draws = new SobolDraws<TDirections>(seed, stream, 4, (int)pointsPerReplicate, directions);
            (ua, ub, uc, ud) = (draws.Uniform(first, out _), draws.Uniform(first + 1, out _), draws.Uniform(first + 2, out _), draws.Uniform(first + 3, out _));
        }
        MeasureValuedAtUniforms(problem, ua, ub, uc, ud, out mu, out sigma);
    }

    /// <summary>RandomMath.Uniform's grid step: 1 - u + 2^-24 maps its grid (k + 1) 2^-24, k = 0 .. 2^24 - 1, onto itself.</summary>
    const float TwoToMinus24 = 1f / 16777216f;

    public static void Pathwise(GradientEstimatorProblem problem, float eps, out float mu, out float sigma)
    {
        float derivative = CostDerivative(problem.Cost, problem.K, problem.Mu + problem.Sigma * eps);
        mu = derivative;
        sigma = derivative * eps;
    }

    /// <summary>
    /// f(x) eps^2 and f(x) (eps^2 - 1)^2 / 2, whose means are the optimal baselines E[f s^2] / E[s^2] of mu and sigma:
    /// E[s_mu^2] = 1 / sigma^2 and E[s_sigma^2] = 2 / sigma^2 are known, so only the numerators need samples.
    /// </summary>
    public static void Baseline(GradientEstimatorProblem problem, float eps, out float mu, out float sigma)
    {
        float f = Cost(problem.Cost, problem.K, problem.Mu + problem.Sigma * eps);
        float squared = eps * eps;
        mu = f * squared;
        sigma = 0.5f * f * (squared - 1f) * (squared - 1f);
    }
}
