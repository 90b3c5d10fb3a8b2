namespace VaeGpu.Kernels;

/// <summary>
/// The scalars of one Adam step (Kingma and Ba 2015, in PyTorch's form). The bias corrections 1 - beta^t are
/// computed once on the host per step, so the kernel does no pow.
/// </summary>
public struct AdamStep
{
    public float LearningRate, Beta1, Beta2, Epsilon;
    public float BiasCorrection1, BiasCorrection2;

    /// <summary>Adam's scalars for update number <paramref name="step"/> (1 for the first), bias corrections included.</summary>
    public static AdamStep Create(float learningRate, int step, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f)
    {
        if (step < 1) throw new ArgumentOutOfRangeException(nameof(step), "Adam steps count from 1.");
        return new AdamStep
        {
            LearningRate = learningRate, Beta1 = beta1, Beta2 = beta2, Epsilon = epsilon,
            BiasCorrection1 = (float)(1 - Math.Pow(beta1, step)),
            BiasCorrection2 = (float)(1 - Math.Pow(beta2, step)),
        };
    }
}
