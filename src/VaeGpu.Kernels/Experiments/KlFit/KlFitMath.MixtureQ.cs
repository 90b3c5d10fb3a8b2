namespace VaeGpu.Kernels;

/// <summary>
/// Reverse KL(q || p) with a two-component Gaussian mixture q (MixtureQParameters), reparameterised through the
/// distributional transform: z = F_q^{-1}(u) for a uniform u, and the implicit gradient of Figurnov, Mohamed and Mnih
/// (2018), dz/dtheta = -(dF_q(z; theta)/dtheta) / q(z; theta), which differentiates the draw without differentiating
/// the root finder. Kernel and host loop share these bodies; KlFitReference checks them in double.
/// </summary>
public static partial class KlFitMath
{
    const float TwoToMinus24 = 1f / 16777216f;

    /// <summary>
    /// Newton steps (each falling back to bisection when it leaves the bracket) of the inverse CDF, at most. From the
    /// widest bracket, 16 s + |m1 - m2|, bisection alone reaches float resolution in about 30; Newton takes 3 to 6.
    /// </summary>
    public const int InverseCdfIterations = 64;

    /// <summary>The bracket reaches this many standard deviations past each component: Phi(-8) = 6e-16 is below every u.</summary>
    const float BracketSigmas = 8f;

    /// <summary>A step below this fraction of the scale (|z| plus the smaller sigma) ends the search: float resolution.</summary>
    const float InverseCdfTolerance = 4.8e-7f;

    /// <summary>
    /// A uniform strictly inside (0, 1) from 23 bits, ((bits >> 9) * 2 + 1) 2^-24: odd multiples of 2^-24, so every
    /// value, and 1 - u, is exact in float, and the inverse CDF never meets 0 or 1.
    /// </summary>
    public static float OpenUniform(uint bits) => ((bits >> 9) * 2u + 1u) * TwoToMinus24;

    /// <summary>The uniform behind draw <paramref name="sample"/> of (seed, stream): lane X0 of Philox block <paramref name="sample"/>.</summary>
    public static float MixtureQUniform(ulong seed, ulong stream, long sample) => OpenUniform(Philox4x32.ForBlock(seed, stream, sample).X0);

    /// <summary>Draw <paramref name="sample"/> of q under (seed, stream), z = F_q^{-1}(u), and its dz/dtheta in <paramref name="transport"/>.</summary>
    public static float MixtureQDraw(MixtureQParameters q, ulong seed, ulong stream, long sample, out MixtureQParameters transport)
    {
        transport = MixtureQTransport(q, MixtureQUniform(seed, stream, sample), out float z, out _, out _, out _, out _);
        return z;
    }

    /// <summary>
    /// One draw's gradient of reverse KL(q || p) with respect to q's parameters: the total derivative of
    /// log q(z; theta) - log p(z) with z = z(theta), i.e. the explicit d log q / dtheta at fixed z plus
    /// d/dz (log q - log p) times the implicit dz/dtheta. Its mean over draws is the gradient of the divergence.
    /// </summary>
    public static MixtureQParameters ReverseKlMixtureQTerms(UnivariateMixture target, MixtureQParameters q, ulong seed, ulong stream, long sample)
    {
        var transport = MixtureQTransport(q, MixtureQUniform(seed, stream, sample), out float z,
            out float responsibility1, out float responsibility2, out float standardised1, out float standardised2);
        float sigma1 = MathF.Exp(q.LogSigma1), sigma2 = MathF.Exp(q.LogSigma2);
        float weight = Sigmoid(q.LogitWeight), complement = Sigmoid(-q.LogitWeight);
        float pull1 = responsibility1 * standardised1 / sigma1, pull2 = responsibility2 * standardised2 / sigma2;
        LogMixtureDensity(target, z, out float targetSlope);
        float slope = -pull1 - pull2 - targetSlope; // d/dz (log q - log p)
        return new MixtureQParameters(
            complement * responsibility1 - weight * responsibility2 + slope * transport.LogitWeight,
            pull1 + slope * transport.Mean1,
            pull2 + slope * transport.Mean2,
            responsibility1 * (standardised1 * standardised1 - 1f) + slope * transport.LogSigma1,
            responsibility2 * (standardised2 * standardised2 - 1f) + slope * transport.LogSigma2);
    }

    /// <summary>
    /// z = F_q^{-1}(u) and dz/dtheta = -(dF_q/dtheta) / q(z), with the responsibilities w_k N_k(z) / q(z) and the
    /// standardised t_k = (z - m_k) / s_k at z. dF/dm_k = -w_k N_k(z) and dF/d(log s_k) = -w_k N_k(z)(z - m_k), so those
    /// four are rho_k and rho_k s_k t_k; dF/d(logit w) = w (1 - w)(Phi(t1) - Phi(t2)), the difference taken from the
    /// tail u lies in (Phi(-t2) - Phi(-t1) above the median), where the two CDFs are small and exact.
    /// </summary>
    static MixtureQParameters MixtureQTransport(MixtureQParameters q, float u, out float z,
        out float responsibility1, out float responsibility2, out float standardised1, out float standardised2)
    {
        z = MixtureQInverseCdf(q, u);
        float logDensity = MixtureQLogDensity(q, z, out responsibility1, out responsibility2, out standardised1, out standardised2);
        float cdfGap = u > 0.5f
            ? StandardNormalCdf(-standardised2) - StandardNormalCdf(-standardised1)
            : StandardNormalCdf(standardised1) - StandardNormalCdf(standardised2);
        float weightRate = Sigmoid(q.LogitWeight) * Sigmoid(-q.LogitWeight); // dw / d(logit w)
        return new MixtureQParameters(
            -weightRate * cdfGap * MathF.Exp(-logDensity),
            responsibility1,
            responsibility2,
            responsibility1 * MathF.Exp(q.LogSigma1) * standardised1,
            responsibility2 * MathF.Exp(q.LogSigma2) * standardised2);
    }

    /// <summary>
    /// The z with F_q(z) = u: Newton's method on the CDF inside a bracket [min_k m_k - 8 s_k, max_k m_k + 8 s_k] that
    /// every step narrows, with bisection whenever Newton would leave it (the CDF of a bimodal q is flat between the
    /// modes, where Newton overshoots). Above the median it solves S_q(z) = 1 - u on the survival function instead,
    /// which float resolves in the upper tail where F_q is within an ulp of 1.
    /// </summary>
    public static float MixtureQInverseCdf(MixtureQParameters q, float u)
    {
        float sigma1 = MathF.Exp(q.LogSigma1), sigma2 = MathF.Exp(q.LogSigma2);
        float weight = Sigmoid(q.LogitWeight), complement = Sigmoid(-q.LogitWeight);
        bool upper = u > 0.5f;
        float tail = upper ? 1f - u : u;
        float low = MathF.Min(q.Mean1 - BracketSigmas * sigma1, q.Mean2 - BracketSigmas * sigma2);
        float high = MathF.Max(q.Mean1 + BracketSigmas * sigma1, q.Mean2 + BracketSigmas * sigma2);
        float scale = MathF.Min(sigma1, sigma2);
        float z = weight * q.Mean1 + complement * q.Mean2;
        for (int iteration = 0; iteration < InverseCdfIterations; iteration++)
        {
            float standardised1 = (z - q.Mean1) / sigma1, standardised2 = (z - q.Mean2) / sigma2;
            // F_q(z) - u, or (1 - u) - S_q(z): both increase with z.
            float residual = upper
                ? tail - (weight * StandardNormalCdf(-standardised1) + complement * StandardNormalCdf(-standardised2))
                : weight * StandardNormalCdf(standardised1) + complement * StandardNormalCdf(standardised2) - tail;
            if (residual == 0f) break;
            if (residual < 0f) low = z;
            else high = z;
            float density = MathF.Exp(MixtureQLogDensity(q, z, out _, out _, out _, out _));
            float next = z - residual / density;
            if (!(next > low && next < high)) next = 0.5f * (low + high); // also when the density underflowed
            float change = MathF.Abs(next - z);
            z = next;
            if (change <= InverseCdfTolerance * (MathF.Abs(z) + scale)) break;
        }
        return z;
    }

    /// <summary>log q(z) by log-sum-exp over the two components, with their responsibilities and standardised z.</summary>
    static float MixtureQLogDensity(MixtureQParameters q, float z,
        out float responsibility1, out float responsibility2, out float standardised1, out float standardised2)
    {
        standardised1 = (z - q.Mean1) / MathF.Exp(q.LogSigma1);
        standardised2 = (z - q.Mean2) / MathF.Exp(q.LogSigma2);
        float log1 = LogSigmoid(q.LogitWeight) - q.LogSigma1 - HalfLogTwoPi - 0.5f * standardised1 * standardised1;
        float log2 = LogSigmoid(-q.LogitWeight) - q.LogSigma2 - HalfLogTwoPi - 0.5f * standardised2 * standardised2;
        float largest = MathF.Max(log1, log2);
        float share1 = MathF.Exp(log1 - largest), share2 = MathF.Exp(log2 - largest);
        float total = share1 + share2;
        responsibility1 = share1 / total;
        responsibility2 = share2 / total;
        return largest + MathF.Log(total);
    }

    static float Sigmoid(float a) => 1f / (1f + MathF.Exp(-a));

    /// <summary>log sigmoid(a) without overflow: -log(1 + e^-a) for a &gt;= 0, a - log(1 + e^a) below.</summary>
    static float LogSigmoid(float a) => a >= 0f ? -MathF.Log(1f + MathF.Exp(-a)) : a - MathF.Log(1f + MathF.Exp(a));
}
