using ILGPU;

namespace VaeGpu.Kernels;

/// <summary>
/// Bias and activations, forward and backward side by side. Backward kernels take the layer's output y, not its
/// input: relu'(x) = [y > 0] and sigmoid'(x) = y (1 - y), so the input need not be kept. Reference: ElementwiseReference.
/// </summary>
public static class ElementwiseKernels
{
    /// <summary>x[r, c] += bias[c] for a row-major matrix with <paramref name="columns"/> columns.</summary>
    [Kernel]
    public static void AddRowBias(Index1D index, ArrayView<float> x, ArrayView<float> bias, int columns) =>
        x[index] += bias[index % columns];

    [Kernel]
    public static void ReluForward(Index1D index, ArrayView<float> x, ArrayView<float> y) =>
        y[index] = x[index] > 0f ? x[index] : 0f;

    [Kernel]
    public static void ReluBackward(Index1D index, ArrayView<float> y, ArrayView<float> dy, ArrayView<float> dx) =>
        dx[index] = y[index] > 0f ? dy[index] : 0f;

    [Kernel]
    public static void SigmoidForward(Index1D index, ArrayView<float> x, ArrayView<float> y) =>
        y[index] = ElementwiseReference.Sigmoid(x[index]);

    [Kernel]
    public static void SigmoidBackward(Index1D index, ArrayView<float> y, ArrayView<float> dy, ArrayView<float> dx) =>
        dx[index] = dy[index] * y[index] * (1f - y[index]);
}
