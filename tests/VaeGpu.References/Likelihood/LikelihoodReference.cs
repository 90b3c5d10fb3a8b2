namespace VaeGpu.References;

/// <summary>The plain managed reference for LikelihoodKernels, in double.</summary>
public static class LikelihoodReference
{
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
