namespace VaeGpu.Kernels;

public static partial class KlFitMath
{
    const float InverseSqrtTwo = 0.707106781186547524f;

    /// <summary>
    /// The standard normal CDF Phi(t) in float, accurate relative to its value far into the lower tail, so that the
    /// upper tail follows as Phi(-t) without subtracting from 1.
    /// </summary>
    public static float StandardNormalCdf(float t) => 0.5f * Erfc(-t * InverseSqrtTwo);

    /// <summary>
    /// erfc(x) from Press et al.'s Chebyshev fit (Numerical Recipes, erfcc): t (e^(-x^2 + P(t))) with t = 1 / (1 + |x| / 2),
    /// a fractional error below 1.2e-7 for every x &gt;= 0, so its tail keeps relative precision where 1 - erf(x)
    /// would cancel; negative x by erfc(-x) = 2 - erfc(x). Only MathF.Exp, which every backend compiles.
    /// </summary>
    static float Erfc(float x)
    {
        float magnitude = MathF.Abs(x);
        float t = 1f / (1f + 0.5f * magnitude);
        float polynomial = -1.26551223f + t * (1.00002368f + t * (0.37409196f + t * (0.09678418f + t * (-0.18628806f
            + t * (0.27886807f + t * (-1.13520398f + t * (1.48851587f + t * (-0.82215223f + t * 0.17087277f))))))));
        float tail = t * MathF.Exp(-magnitude * magnitude + polynomial);
        return x >= 0f ? tail : 2f - tail;
    }
}
