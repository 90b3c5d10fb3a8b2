using ILGPU;

namespace VaeGpu.Kernels;

/// <summary>
/// Elementwise operations the products' epilogues do not cover. The layers' bias and ReLU run fused in the product
/// (MatMulShape's epilogues). Reference: ElementwiseReference.
/// </summary>
public static class ElementwiseKernels
{
    /// <summary>x[r, c] += bias[c] for a row-major matrix with <paramref name="columns"/> columns.</summary>
    [Kernel]
    public static void AddRowBias(Index1D index, ArrayView<float> x, ArrayView<float> bias, int columns) =>
        x[index] += bias[index % columns];

    [Kernel]
    public static void Fill(Index1D index, ArrayView<float> x, float value) => x[index] = value;

    /// <summary>x = scale x + shift, in place.</summary>
    [Kernel]
    public static void ScaleAndShift(Index1D index, ArrayView<float> x, float scale, float shift) =>
        x[index] = scale * x[index] + shift;
}
