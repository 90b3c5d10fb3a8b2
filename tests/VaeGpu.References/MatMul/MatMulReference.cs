namespace VaeGpu.References;

/// <summary>The plain managed reference for MatMulKernels: the same strided definition, in double, then the epilogue.</summary>
public static class MatMulReference
{
    public static void Compute(float[] a, float[] b, float[] c, MatMulShape shape, float[]? bias = null, float[]? mask = null)
    {
        for (int row = 0; row < shape.M; row++)
        for (int col = 0; col < shape.N; col++)
        {
            double sum = 0;
            for (int k = 0; k < shape.K; k++)
                sum += (shape.OnesRow == 1 && row == shape.M - 1 ? 1.0 : a[row * shape.ARowStride + k * shape.AColStride]) * b[k * shape.BRowStride + col * shape.BColStride];
            int target = row * shape.N + col;
            c[target] = shape.Epilogue switch
            {
                MatMulEpilogue.Bias => (float)Activate(shape.Activation, sum + bias![col]),
                MatMulEpilogue.ActivationGradient => (float)(sum * Derivative(shape.Activation, mask![target])),
                _ => (float)(shape.Beta == 0f ? sum : sum + shape.Beta * c[target]),
            };
        }
    }

    /// <summary>The activation of a pre-activation value, in double.</summary>
    public static double Activate(Activation activation, double x) => activation switch
    {
        Activation.Relu => Math.Max(x, 0),
        Activation.Tanh => Math.Tanh(x),
        _ => x,
    };

    /// <summary>d activation / d pre-activation, from the activation's output y: the ReLU's step (0 at y = 0), tanh's 1 - y^2.</summary>
    public static double Derivative(Activation activation, double y) => activation switch
    {
        Activation.Relu => y > 0 ? 1 : 0,
        Activation.Tanh => 1 - y * y,
        _ => 1,
    };
}
