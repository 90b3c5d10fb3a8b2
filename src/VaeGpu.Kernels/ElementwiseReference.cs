namespace VaeGpu.Kernels;

/// <summary>The plain managed reference for ElementwiseKernels, one loop per operation.</summary>
public static class ElementwiseReference
{
    /// <summary>1 / (1 + e^-x); for very negative x, e^-x overflows to infinity and the result is exactly 0.</summary>
    public static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    public static void AddRowBias(float[] x, float[] bias)
    {
        for (int i = 0; i < x.Length; i++) x[i] += bias[i % bias.Length];
    }

    public static void ReluForward(float[] x, float[] y)
    {
        for (int i = 0; i < x.Length; i++) y[i] = x[i] > 0f ? x[i] : 0f;
    }

    public static void ReluBackward(float[] y, float[] dy, float[] dx)
    {
        for (int i = 0; i < y.Length; i++) dx[i] = y[i] > 0f ? dy[i] : 0f;
    }

    public static void SigmoidForward(float[] x, float[] y)
    {
        for (int i = 0; i < x.Length; i++) y[i] = Sigmoid(x[i]);
    }

    public static void SigmoidBackward(float[] y, float[] dy, float[] dx)
    {
        for (int i = 0; i < y.Length; i++) dx[i] = dy[i] * y[i] * (1f - y[i]);
    }
}
