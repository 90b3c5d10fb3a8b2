namespace VaeGpu.References;

/// <summary>
/// The plain managed reference for GaussianMixtureKernels, in double, from the mixture's definition: the normal
/// density through the covariance's determinant and inverse (rebuilt from W = L^-1 as Sigma^-1 = W^T W), not through
/// the whitening the kernels use.
/// </summary>
public static class GaussianMixtureReference
{
    public static void Responsibilities(float[] points, int pointCount, int dimension, int components, float[] parameters,
        float[] responsibilities, float[] logDensity)
    {
        var logJoint = new double[components];
        for (int n = 0; n < pointCount; n++)
        {
            for (int k = 0; k < components; k++)
            {
                int mean = GaussianMixtureLayout.Mean(k, dimension), whitening = GaussianMixtureLayout.Whitening(k, dimension);
                double quadratic = 0;
                for (int a = 0; a < dimension; a++)
                for (int b = 0; b < dimension; b++)
                {
                    double precision = 0; // (W^T W)_ab
                    for (int c = 0; c < dimension; c++)
                        precision += (double)parameters[whitening + c * dimension + a] * parameters[whitening + c * dimension + b];
                    quadratic += (points[n * dimension + a] - (double)parameters[mean + a]) * precision * (points[n * dimension + b] - (double)parameters[mean + b]);
                }
                logJoint[k] = parameters[GaussianMixtureLayout.Constant(k, dimension)] - 0.5 * quadratic;
            }
            double largest = logJoint.Max();
            double logP = largest + Math.Log(logJoint.Sum(value => Math.Exp(value - largest)));
            for (int k = 0; k < components; k++) responsibilities[n * components + k] = (float)Math.Exp(logJoint[k] - logP);
            logDensity[n] = (float)logP;
        }
    }

    /// <summary>The blocks' scatter already added up: scatter[(k d + a) d + b] = sum_n r_nk (x_na - m_ka)(x_nb - m_kb).</summary>
    public static void WeightedScatter(float[] points, float[] responsibilities, float[] parameters, int pointCount, int dimension,
        int components, float[] scatter)
    {
        for (int k = 0; k < components; k++)
        for (int a = 0; a < dimension; a++)
        for (int b = 0; b < dimension; b++)
        {
            int mean = GaussianMixtureLayout.Mean(k, dimension);
            double sum = 0;
            for (int n = 0; n < pointCount; n++)
                sum += (double)responsibilities[n * components + k] * (points[n * dimension + a] - (double)parameters[mean + a]) * (points[n * dimension + b] - (double)parameters[mean + b]);
            scatter[(k * dimension + a) * dimension + b] = (float)sum;
        }
    }
}
