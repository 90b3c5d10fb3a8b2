namespace VaeGpu.References;

/// <summary>The plain managed reference for OptimizerKernels.</summary>
public static class OptimizerReference
{
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
            parameters[i] -= OptimizerMath.AdamDelta(firstMoments[i], secondMoments[i], step);
        }
    }
}
