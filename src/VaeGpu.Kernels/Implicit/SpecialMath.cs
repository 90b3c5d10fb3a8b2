namespace VaeGpu.Kernels;

/// <summary>
/// Float special functions for the implicit gradients, written so that the differences those gradients take stay
/// accurate: log(1 + z) and log(1 + z) - z near z = 0, log(x / a) near x = a, and log(m) - digamma(m), which is
/// about 1 / (2m) where both terms are near log m. Each is a plain float body that kernels and host loops share.
/// </summary>
public static class SpecialMath
{
    /// <summary>
    /// log(1 + z) for z &gt; -1 to about an ulp: the rounding of u = 1 + z is undone by the factor z / (u - 1)
    /// (Goldberg's trick), so small z keep their digits.
    /// </summary>
    public static float Log1p(float z)
    {
        float u = 1f + z;
        if (u == 1f) return z;
        return MathF.Log(u) * (z / (u - 1f));
    }

    /// <summary>
    /// log(1 + z) - z, without the cancellation of the two terms near 0: with u = z / (2 + z), log(1 + z) = 2 atanh(u),
    /// so log(1 + z) - z = -z^2 / (2 + z) + 2 (u^3 / 3 + u^5 / 5 + ...), |u| &lt;= 1/5 for |z| &lt;= 1/2 (eight terms reach
    /// float precision). Farther from 0 the two terms differ enough to subtract.
    /// </summary>
    public static float Log1pMinusX(float z)
    {
        if (z < -0.5f || z > 0.5f) return Log1p(z) - z;
        float u = z / (2f + z), u2 = u * u, power = u * u2, series = 0f;
        for (int k = 3; k <= 17; k += 2)
        {
            series += power / k;
            power *= u2;
        }
        return -z * z / (2f + z) + 2f * series;
    }

    /// <summary>log(x / a) for x, a &gt; 0: through Log1p((x - a) / a) near x = a, where x / a would round to near 1.</summary>
    public static float LogRatio(float x, float a)
    {
        float difference = x - a;
        if (MathF.Abs(difference) < 0.5f * a) return Log1p(difference / a);
        return MathF.Log(x / a);
    }

    /// <summary>
    /// log(m) - digamma(m) for m &gt; 0, positive and about 1 / (2m) for large m: the asymptotic series
    /// 1/(2m) + 1/(12m^2) - 1/(120m^4) + 1/(252m^6) from m = 6 on, and below 6 the recurrence
    /// digamma(m) = digamma(m + 1) - 1/m carried up to 6 or beyond.
    /// </summary>
    public static float LogMinusDigamma(float m)
    {
        float shifted = m, reciprocals = 0f;
        while (shifted < 6f)
        {
            reciprocals += 1f / shifted;
            shifted += 1f;
        }
        float inverse = 1f / shifted, inverse2 = inverse * inverse;
        float asymptotic = inverse * (0.5f + inverse * (1f / 12f - inverse2 * (1f / 120f - inverse2 * (1f / 252f))));
        if (shifted == m) return asymptotic;
        // log m - digamma(m) = [log s - digamma(s)] - log(s / m) + sum 1 / (m + i), s = m + steps.
        return asymptotic - LogRatio(shifted, m) + reciprocals;
    }

    /// <summary>digamma(m) for m &gt; 0: log m minus LogMinusDigamma.</summary>
    public static float Digamma(float m) => MathF.Log(m) - LogMinusDigamma(m);

    /// <summary>
    /// asin(y) for y in [0, 1] from sine and cosine alone (ILGPU's Atan2 and Asin run a CORDIC loop through a stack
    /// array on PTX): Newton on sin(phi) = y from a three-term series start, for the angle below pi/4, which is y's or
    /// that of sqrt(1 - y^2), where sin's slope keeps Newton well conditioned. Three steps reach float precision.
    /// </summary>
    public static float Asin(float y)
    {
        bool complement = y > 0.70710678f;
        float target = complement ? MathF.Sqrt(MathF.Max(0f, (1f - y) * (1f + y))) : y, square = target * target;
        float phi = target * (1f + square * (1f / 6f + square * (3f / 40f)));
        for (int step = 0; step < 3; step++) phi -= (MathF.Sin(phi) - target) / MathF.Cos(phi);
        return complement ? 1.57079632679490f - phi : phi;
    }

    /// <summary>
    /// log Gamma(x) for x &gt; 0: Stirling's series with three correction terms from x + k &gt;= 8 on, where it is exact to
    /// float precision, and log Gamma(x) = log Gamma(x + k) - log(x (x + 1) ... (x + k - 1)) below.
    /// </summary>
    public static float LogGamma(float x)
    {
        float shifted = x, product = 1f;
        while (shifted < 8f)
        {
            product *= shifted;
            shifted += 1f;
        }
        float inverse = 1f / shifted, inverse2 = inverse * inverse;
        float stirling = (shifted - 0.5f) * MathF.Log(shifted) - shifted + HalfLogTwoPi
            + inverse * (1f / 12f - inverse2 * (1f / 360f - inverse2 * (1f / 1260f)));
        return stirling - MathF.Log(product);
    }

    /// <summary>
    /// trigamma(x) = d digamma / dx for x &gt; 0: the asymptotic series 1/x + 1/(2x^2) + 1/(6x^3) - 1/(30x^5) + 1/(42x^7)
    /// from x + k &gt;= 6 on, and trigamma(x) = trigamma(x + 1) + 1 / x^2 below.
    /// </summary>
    public static float Trigamma(float x)
    {
        float shifted = x, reciprocalSquares = 0f;
        while (shifted < 6f)
        {
            reciprocalSquares += 1f / (shifted * shifted);
            shifted += 1f;
        }
        float inverse = 1f / shifted, inverse2 = inverse * inverse;
        float asymptotic = inverse * (1f + inverse * (0.5f + inverse * (1f / 6f - inverse2 * (1f / 30f - inverse2 * (1f / 42f)))));
        return reciprocalSquares + asymptotic;
    }

    /// <summary>log(1 + e^h) without overflow for large h.</summary>
    public static float Softplus(float h) => h > 20f ? h : Log1p(MathF.Exp(h));

    /// <summary>1 / (1 + e^-h), softplus' derivative.</summary>
    public static float Sigmoid(float h) => 1f / (1f + MathF.Exp(-h));

    const float HalfLogTwoPi = 0.91893853320467274f;
}
