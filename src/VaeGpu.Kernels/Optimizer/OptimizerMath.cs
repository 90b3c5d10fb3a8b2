namespace VaeGpu.Kernels;

/// <summary>The float formula OptimizerKernels and the host backend's Adam loop share.</summary>
public static class OptimizerMath
{
    /// <summary>lr * m_hat / (sqrt(v_hat) + eps), with the bias-corrected moments.</summary>
    public static float AdamDelta(float m, float v, AdamStep step) =>
        step.LearningRate * (m / step.BiasCorrection1) / (MathF.Sqrt(v / step.BiasCorrection2) + step.Epsilon);
}
