namespace VaeGpu.Kernels;

/// <summary>The plain managed reference for LikelihoodKernels, in double.</summary>
public static class LikelihoodReference
{
    /// <summary>log(1 + e^x) without overflow: max(x, 0) + log(1 + e^-|x|).</summary>
    public static float Softplus(float x) => (x > 0f ? x : 0f) + MathF.Log(1f + MathF.Exp(-MathF.Abs(x)));

    /// <summary>log(2 pi sigma^2) / 2, the per-pixel constant of a Gaussian log-density.</summary>
    public static float GaussianLogNormaliser(float sigma) => 0.5f * MathF.Log(2f * MathF.PI * sigma * sigma);

    /// <summary>Returns the per-row NLL and writes the scaled gradient.</summary>
    public static float[] Bernoulli(float[] logits, float[] x, int rows, int columns, float gradientScale, float[] dLogits)
    {
        var nll = new float[rows];
        for (int row = 0; row < rows; row++)
        {
            double sum = 0;
            for (int j = 0; j < columns; j++)
            {
                int i = row * columns + j;
                double logit = logits[i];
                sum += Math.Max(logit, 0) + Math.Log(1 + Math.Exp(-Math.Abs(logit))) - x[i] * logit;
                dLogits[i] = (float)(gradientScale * (1 / (1 + Math.Exp(-logit)) - x[i]));
            }
            nll[row] = (float)sum;
        }
        return nll;
    }

    public static float[] Gaussian(float[] mean, float[] x, int rows, int columns, float gradientScale, float sigma, float[] dMean)
    {
        var nll = new float[rows];
        double variance = (double)sigma * sigma;
        for (int row = 0; row < rows; row++)
        {
            double sum = 0;
            for (int j = 0; j < columns; j++)
            {
                int i = row * columns + j;
                double difference = (double)mean[i] - x[i];
                sum += difference * difference / (2 * variance) + 0.5 * Math.Log(2 * Math.PI * variance);
                dMean[i] = (float)(gradientScale * difference / variance);
            }
            nll[row] = (float)sum;
        }
        return nll;
    }
}
