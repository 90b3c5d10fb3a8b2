namespace VaeGpu.Kernels;

/// <summary>The float formulas LikelihoodKernels and the host backend's likelihood loops share.</summary>
public static class LikelihoodMath
{
    /// <summary>log(1 + e^x) without overflow: max(x, 0) + log(1 + e^-|x|).</summary>
    public static float Softplus(float x) => (x > 0f ? x : 0f) + MathF.Log(1f + MathF.Exp(-MathF.Abs(x)));

    /// <summary>1 / (1 + e^-x); for very negative x, e^-x overflows to infinity and the result is exactly 0.</summary>
    public static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    /// <summary>log(2 pi sigma^2) / 2, the per-pixel constant of a Gaussian log-density.</summary>
    public static float GaussianLogNormaliser(float sigma) => 0.5f * MathF.Log(2f * MathF.PI * sigma * sigma);
}
