namespace VaeGpu.References;

/// <summary>The plain managed reference for OptimizerKernels.</summary>
public static class OptimizerReference
{
    public static void Sgd(float[] parameters, float[] gradients, float learningRate)
    {
        for (int i = 0; i < parameters.Length; i++) parameters[i] -= learningRate * gradients[i];
    }

    /// <summary>
    /// Adam update number <paramref name="step"/> (1 for the first) in double, from Kingma and Ba (2015) in PyTorch's
    /// form and with PyTorch's default hyperparameters: m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g^2, and each
    /// parameter moves by lr m^ / (sqrt(v^) + eps) with m^ = m / (1 - b1^t) and v^ = v / (1 - b2^t), eps added after the
    /// root. The moments stay in double between steps, so several steps accumulate no float rounding.
    /// </summary>
    public static void Adam(double[] parameters, float[] gradients, double[] firstMoments, double[] secondMoments, int step,
        double learningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
    {
        double firstCorrection = 1 - Math.Pow(beta1, step), secondCorrection = 1 - Math.Pow(beta2, step);
        for (int i = 0; i < parameters.Length; i++)
        {
            double g = gradients[i];
            firstMoments[i] = beta1 * firstMoments[i] + (1 - beta1) * g;
            secondMoments[i] = beta2 * secondMoments[i] + (1 - beta2) * g * g;
            double unbiasedFirst = firstMoments[i] / firstCorrection, unbiasedSecond = secondMoments[i] / secondCorrection;
            parameters[i] -= learningRate * unbiasedFirst / (Math.Sqrt(unbiasedSecond) + epsilon);
        }
    }
}
