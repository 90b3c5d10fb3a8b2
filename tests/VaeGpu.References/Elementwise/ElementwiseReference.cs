namespace VaeGpu.References;

/// <summary>The plain managed reference for ElementwiseKernels, one loop per operation.</summary>
public static class ElementwiseReference
{
    public static void AddRowBias(float[] x, float[] bias)
    {
        for (int i = 0; i < x.Length; i++) x[i] += bias[i % bias.Length];
    }

    public static void ScaleAndShift(float[] x, float scale, float shift)
    {
        for (int i = 0; i < x.Length; i++) x[i] = (float)((double)scale * x[i] + shift);
    }
}
