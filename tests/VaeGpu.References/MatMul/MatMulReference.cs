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
                MatMulEpilogue.Bias => (float)(sum + bias![col]),
                MatMulEpilogue.BiasRelu => (float)Math.Max(sum + bias![col], 0),
                MatMulEpilogue.ReluMask => mask![target] > 0f ? (float)sum : 0f,
                _ => (float)(shape.Beta == 0f ? sum : sum + shape.Beta * c[target]),
            };
        }
    }
}
