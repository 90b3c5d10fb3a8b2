using ILGPU;

namespace VaeGpu.Kernels;

/// <summary>In-place parameter updates, one thread per parameter. Formula: OptimizerMath. Reference: OptimizerReference.</summary>
public static class OptimizerKernels
{
    [Kernel]
    public static void Sgd(Index1D index, ArrayView<float> parameters, ArrayView<float> gradients, float learningRate) =>
        parameters[index] -= learningRate * gradients[index];

    [Kernel]
    public static void Adam(Index1D index, ArrayView<float> parameters, ArrayView<float> gradients,
        ArrayView<float> firstMoments, ArrayView<float> secondMoments, AdamStep step)
    {
        float g = gradients[index];
        float m = step.Beta1 * firstMoments[index] + (1f - step.Beta1) * g;
        float v = step.Beta2 * secondMoments[index] + (1f - step.Beta2) * g * g;
        firstMoments[index] = m;
        secondMoments[index] = v;
        parameters[index] -= OptimizerMath.AdamDelta(m, v, step);
    }
}
