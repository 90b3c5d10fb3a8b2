namespace VaeGpu.Kernels;

/// <summary>
/// Gamma(alpha, 1) draws and their implicit reparameterisation gradient (Figurnov, Mohamed and Mnih 2018), in log
/// space so that tiny alpha, whose draws lie far below float's range, gives neither zero nor NaN: a draw is log z, and
/// its gradient d log z / d alpha = -(dF(z; alpha) / d alpha) / (z p(z; alpha)), F the regularised lower incomplete
/// gamma function. dz/dalpha = z d log z / d alpha. Float bodies shared by kernels and host loops; the double
/// reference is GammaReference (tests).
/// </summary>
public static class GammaMath
{
    /// <summary>
    /// Marsaglia-Tsang accepts at least 95% of proposals for every alpha (the worst is alpha = 1), so 16 attempts
    /// all fail with probability below 0.05^16 &lt; 2e-21; then the draw is the fallback log(alpha - 1/3), the
    /// proposal's centre (GammaTests checks it with the bound forced to 1).
    /// </summary>
    public const int MaxAttempts = 16;

    /// <summary>The series of the lower incomplete gamma serves shapes below this, and draws below half the shape.</summary>
    const float SeriesShapeLimit = 8f;

    const int MaxSeriesTerms = 256;

    /// <summary>The tail integrals stop where their weight has fallen by e^-25, below float rounding of the sum.</summary>
    const float Decay = 25f;

    const int Panels = 6, CutoffBisections = 14;

    /// <summary>log z, z ~ Gamma(alpha, 1), element <paramref name="element"/> of (seed, stream).</summary>
    public static float SampleLog(float alpha, ulong seed, ulong stream, long element) => SampleLog(alpha, seed, stream, element, MaxAttempts);

    /// <summary>
    /// Marsaglia and Tsang (2000) on shape a = alpha (alpha &gt;= 1) or alpha + 1 (alpha &lt; 1, then boosted by
    /// U^(1/alpha), added as log U / alpha). Attempt i reads Philox4x32.ForAttempt(seed, stream, element, i): a
    /// Box-Muller normal from (X0, X1), the acceptance uniform from X2; the boost uniform is attempt 0's X3.
    /// </summary>
    public static float SampleLog(float alpha, ulong seed, ulong stream, long element, int attempts)
    {
        float shape = alpha < 1f ? alpha + 1f : alpha;
        float d = shape - 1f / 3f, c = 1f / MathF.Sqrt(9f * d);
        float logZ = MathF.Log(d);
        uint boostBits = 0;
        for (int attempt = 0; attempt < attempts; attempt++)
        {
            var bits = Philox4x32.ForAttempt(seed, stream, element, attempt);
            if (attempt == 0) boostBits = bits.X3;
            RandomMath.Normals(bits.X0, bits.X1, out float normal, out _);
            float cx = c * normal;
            if (cx <= -1f) continue;
            // v = (1 + cx)^3; accept when log u < x^2/2 + d (1 - v + log v), with 1 - v + log v from log(1 + cx) and cx.
            float logV = 3f * SpecialMath.Log1p(cx);
            float vMinusOne = cx * (3f + cx * (3f + cx));
            if (MathF.Log(RandomMath.Uniform(bits.X2)) < 0.5f * normal * normal + d * (logV - vMinusOne))
            {
                logZ = MathF.Log(d) + logV;
                break;
            }
        }
        if (alpha < 1f) logZ += MathF.Log(RandomMath.Uniform(boostBits)) / alpha;
        return logZ;
    }

    /// <summary>
    /// d log z / d alpha at z = e^logZ. Two forms, each chosen where its terms share one sign, so no digits cancel:
    /// below z = e^digamma(alpha + 1) the lower incomplete gamma's series (for alpha &lt; 8, or z &lt; alpha / 2, where it
    /// converges in a few dozen terms); elsewhere the integral of dp/dalpha over the tail beyond z (upper) or below z
    /// (lower, alpha &gt;= 8), by Gauss-Legendre quadrature.
    /// </summary>
    public static float LogDerivative(float alpha, float logZ)
    {
        float z = MathF.Exp(logZ);
        float digammaAbove = SpecialMath.Digamma(alpha + 1f);
        if (logZ <= digammaAbove && (alpha < SeriesShapeLimit || z < 0.5f * alpha)) return -Series(alpha, logZ, z, digammaAbove) / alpha;
        // D = log z - digamma(alpha): positive, the upper tail; otherwise the lower part.
        float offset = SpecialMath.LogRatio(z, alpha) + SpecialMath.LogMinusDigamma(alpha);
        var integrand = new TailIntegrand(alpha, z, offset > 0f ? 1f : -1f, offset);
        float end = Cutoff(integrand, offset > 0f ? float.PositiveInfinity : z);
        return integrand.Side / z * GaussLegendre.Integrate(integrand, 0f, end, Panels);
    }

    /// <summary>
    /// sum_n t_n (log z - digamma(alpha + n + 1)), t_0 = 1, t_n = t_(n-1) z / (alpha + n): the derivative in alpha of
    /// P(alpha, z) = z^alpha e^-z / Gamma(alpha + 1) sum_n t_n, divided by z^alpha e^-z / Gamma(alpha + 1). Every term is
    /// negative when log z &lt;= digamma(alpha + 1).
    /// </summary>
    static float Series(float alpha, float logZ, float z, float digammaAbove)
    {
        float digamma = digammaAbove, term = 1f, sum = logZ - digamma;
        for (int n = 1; n < MaxSeriesTerms; n++)
        {
            digamma += 1f / (alpha + n);
            term *= z / (alpha + n);
            float contribution = term * (logZ - digamma);
            sum += contribution;
            if (MathF.Abs(contribution) < 1e-8f * MathF.Abs(sum)) break;
        }
        return sum;
    }

    /// <summary>
    /// Over s &gt;= 0, t = z + Side s: the weight (t / z)^(alpha - 1) e^(z - t) = p(t) / p(z) times log t - digamma(alpha)
    /// = D + log(1 + Side s / z). The weight's exponent, (alpha - 1)(log(1 + y) - y) + Side s (alpha - 1 - z) / z with
    /// y = Side s / z, is written so that its large terms never cancel (alpha up to 1e4).
    /// </summary>
    readonly struct TailIntegrand(float alpha, float z, float side, float offset) : IIntegrand
    {
        readonly float alphaMinusOne = alpha - 1f, inverseZ = 1f / z, slope = (alpha - 1f - z) / z;

        public float Side => side;

        public float Exponent(float s) => alphaMinusOne * SpecialMath.Log1pMinusX(side * s * inverseZ) + side * s * slope;

        public float At(float s) => MathF.Exp(Exponent(s)) * (offset + SpecialMath.Log1p(side * s * inverseZ));
    }

    /// <summary>Where the weight has fallen by e^-Decay (at most <paramref name="limit"/>): doubling, then bisection.</summary>
    static float Cutoff(TailIntegrand integrand, float limit)
    {
        float high = Decay;
        while (high < limit && -integrand.Exponent(high) < Decay) high *= 2f;
        if (high >= limit) high = limit;
        float low = 0f;
        for (int step = 0; step < CutoffBisections; step++)
        {
            float middle = 0.5f * (low + high);
            if (-integrand.Exponent(middle) < Decay) low = middle;
            else high = middle;
        }
        return high;
    }
}
