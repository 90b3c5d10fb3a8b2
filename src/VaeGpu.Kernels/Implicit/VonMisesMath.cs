namespace VaeGpu.Kernels;

/// <summary>
/// von Mises(0, kappa) draws on (-pi, pi] and their implicit reparameterisation gradient
/// dtheta/dkappa = -(dF(theta; kappa)/dkappa) / p(theta; kappa). With dp/dkappa = p (cos t - A(kappa)),
/// A = I1/I0, and for theta &lt;= 0 (the gradient is odd in theta):
/// dtheta/dkappa = -integral over s in [0, theta + pi] of e^(-kappa g(s)) (cos(theta - s) - A) ds,
/// g(s) = cos theta - cos(theta - s) = 2 sin(s/2) sin(s/2 - theta) &gt;= 0: the density ratio p(theta - s) / p(theta) is
/// never formed from two exponentials, so kappa = 1e3 and draws far in the tails stay finite, and cos - A is written as
/// (1 - A) - 2 sin^2(...) so that its two near-1 terms never cancel. Float bodies for kernels and host loops; the
/// double reference is VonMisesReference (tests).
/// </summary>
public static class VonMisesMath
{
    /// <summary>
    /// Best-Fisher accepts at least 65.6% of proposals for every kappa, so 48 attempts all fail with probability below
    /// 0.344^48 &lt; 1e-22; then the draw is the last proposal (VonMisesTests checks it with the bound forced to 1).
    /// </summary>
    public const int MaxAttempts = 48;

    const float Pi = 3.14159265358979f, HalfPi = 1.57079632679490f, Sqrt2 = 1.41421356237310f;

    /// <summary>Quadrature stops where the weight has fallen by e^-25.</summary>
    const float Decay = 25f;

    const int Panels = 6;

    public static float Sample(float kappa, ulong seed, ulong stream, long element) => Sample(kappa, seed, stream, element, MaxAttempts);

    /// <summary>
    /// Best and Fisher (1979): a wrapped-Cauchy proposal f = cos theta, accepted with their test. With r the envelope's
    /// parameter, written as s = r - 1 (about 1 / (2 kappa) for large kappa), and z = cos(pi u1) written through
    /// 1 - z = 2 sin^2(pi u1 / 2) and 1 + z = 2 cos^2(pi u1 / 2), both 1 - f = s (1 - z) / (s + 1 + z) and
    /// c = kappa (r - f) = kappa s (2 + s) / (s + 1 + z) keep their digits in float at kappa = 1e3, where the textbook
    /// form subtracts numbers within 1e-4 of each other. Attempt i reads Philox4x32.ForAttempt(seed, stream, element, i):
    /// u1 from X0, the acceptance uniform from X1, the sign from X2's top bit.
    /// </summary>
    public static float Sample(float kappa, ulong seed, ulong stream, long element, int attempts)
    {
        float s = EnvelopeOffset(kappa), theta = 0f;
        for (int attempt = 0; attempt < attempts; attempt++)
        {
            var bits = Philox4x32.ForAttempt(seed, stream, element, attempt);
            float half = HalfPi * RandomMath.Uniform(bits.X0), sine = MathF.Sin(half), cosine = MathF.Cos(half);
            float denominator = s + 2f * cosine * cosine;
            float oneMinusF = s * 2f * sine * sine / denominator;
            float c = kappa * s * (2f + s) / denominator;
            // theta = acos(f) = 2 asin(sqrt((1 - f) / 2)), exact in 1 - f where f is near 1.
            theta = 2f * SpecialMath.Asin(MathF.Min(1f, MathF.Sqrt(0.5f * oneMinusF)));
            if ((bits.X2 >> 31) != 0) theta = -theta;
            float u2 = RandomMath.Uniform(bits.X1);
            if (c * (2f - c) - u2 > 0f || MathF.Log(c / u2) + 1f - c >= 0f) break;
        }
        return theta;
    }

    /// <summary>
    /// s = r - 1 = (1 - rho)^2 / (2 rho), rho = (tau - sqrt(2 tau)) / (2 kappa), tau = 1 + sqrt(1 + 4 kappa^2) (Best and
    /// Fisher's envelope). Below kappa = 1, rho = 2 kappa sqrt(tau) / ((q + 1)(sqrt(tau) + sqrt 2)), q = sqrt(1 + 4 kappa^2),
    /// avoids tau - sqrt(2 tau) ~ kappa^2; above, 1 - rho = (sqrt(2 tau) - 1 - 1 / (q + 2 kappa)) / (2 kappa) avoids
    /// 2 kappa - tau ~ -1.
    /// </summary>
    public static float EnvelopeOffset(float kappa)
    {
        float q = MathF.Sqrt(1f + 4f * kappa * kappa), tau = 1f + q, rho, oneMinusRho;
        if (kappa < 1f)
        {
            float rootTau = MathF.Sqrt(tau);
            rho = 2f * kappa * rootTau / ((q + 1f) * (rootTau + Sqrt2));
            oneMinusRho = 1f - rho;
        }
        else
        {
            oneMinusRho = (MathF.Sqrt(2f * tau) - 1f - 1f / (q + 2f * kappa)) / (2f * kappa);
            rho = 1f - oneMinusRho;
        }
        return oneMinusRho * oneMinusRho / (2f * rho);
    }

    /// <summary>
    /// 1 - A(kappa) = 1 - I1/I0 = integral of e^(-2 kappa sin^2(u/2)) 2 sin^2(u/2) du / integral of e^(-2 kappa sin^2(u/2)) du
    /// over u in [0, pi] (both integrands positive), about 1 / (2 kappa) for large kappa.
    /// </summary>
    public static float OneMinusMeanResultant(float kappa)
    {
        // The weight falls by e^-Decay where 2 kappa sin^2(u/2) = Decay.
        float v = Decay / (2f * kappa);
        float end = v >= 1f ? Pi : 2f * SpecialMath.Asin(MathF.Sqrt(v));
        float numerator = GaussLegendre.Integrate(new ResultantIntegrand(kappa, 1), 0f, end, Panels);
        float denominator = GaussLegendre.Integrate(new ResultantIntegrand(kappa, 0), 0f, end, Panels);
        return numerator / denominator;
    }

    readonly struct ResultantIntegrand(float kappa, int withCosineGap) : IIntegrand
    {
        public float At(float u)
        {
            float sine = MathF.Sin(0.5f * u), gap = 2f * sine * sine;
            return MathF.Exp(-kappa * gap) * (withCosineGap != 0 ? gap : 1f);
        }
    }

    /// <summary>dtheta/dkappa at theta (in [-pi, pi]).</summary>
    public static float Derivative(float kappa, float theta) => Derivative(kappa, theta, OneMinusMeanResultant(kappa));

    /// <summary>dtheta/dkappa at theta, given 1 - A(kappa) (a kernel over many draws of one kappa computes it once).</summary>
    public static float Derivative(float kappa, float theta, float oneMinusMeanResultant)
    {
        float t = -MathF.Abs(theta), length = t + Pi;
        // g(s) = Decay / kappa where cos(t - s) = cos t - Decay / kappa, t - s in [-pi, t].
        float level = MathF.Cos(t) - Decay / kappa;
        float end = level <= -1f ? length : t + 2f * SpecialMath.Asin(MathF.Min(1f, MathF.Sqrt(0.5f * (1f - level))));
        end = MathF.Min(MathF.Max(end, 0f), length);
        float integral = GaussLegendre.Integrate(new DerivativeIntegrand(kappa, t, oneMinusMeanResultant), 0f, end, Panels);
        return theta > 0f ? integral : -integral;
    }

    readonly struct DerivativeIntegrand(float kappa, float t, float oneMinusMeanResultant) : IIntegrand
    {
        public float At(float s)
        {
            float g = 2f * MathF.Sin(0.5f * s) * MathF.Sin(0.5f * s - t);
            float half = MathF.Sin(0.5f * (t - s));
            return MathF.Exp(-kappa * g) * (oneMinusMeanResultant - 2f * half * half);
        }
    }
}
