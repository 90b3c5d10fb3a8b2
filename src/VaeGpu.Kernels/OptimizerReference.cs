namespace VaeGpu.Kernels;

/// <summary>The plain managed reference for OptimizerKernels.</summary>
public static class OptimizerReference
{
    /// <summary>lr * m_hat / (sqrt(v_hat) + eps), with the bias-corrected moments.</summary>
    public static float AdamDelta(float m, float v, AdamStep step) =>
        step.LearningRate * (m / step.BiasCorrection1) / (MathF.Sqrt(v / step.BiasCorrection2) + step.Epsilon);

    public static void Sgd(float[] parameters, float[] gradients, float learningRate)
    {
        for (int i = 0; i < parameters.Length; i++) parameters[i] -= learningRate * gradients[i];
    }

    public static void Adam(float[] parameters, float[] gradients, float[] firstMoments, float[] secondMoments, AdamStep step)
    {
        for (int i = 0; i < parameters.Length; i++)
        {
            float g = gradients[i];
            firstMoments[i] = step.Beta1 * firstMoments[i] + (1f - step.Beta1) * g;
            secondMoments[i] = step.Beta2 * secondMoments[i] + (1f - step.Beta2) * g * g;
            parameters[i] -= AdamDelta(firstMoments[i], secondMoments[i], step);
        }
    }
}
