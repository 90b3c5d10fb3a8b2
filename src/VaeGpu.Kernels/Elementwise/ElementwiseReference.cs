namespace VaeGpu.Kernels;

/// <summary>The plain managed reference for ElementwiseKernels, one loop per operation.</summary>
public static class ElementwiseReference
{
    public static void AddRowBias(float[] x, float[] bias)
    {
        for (int i = 0; i < x.Length; i++) x[i] += bias[i % bias.Length];
    }
}
