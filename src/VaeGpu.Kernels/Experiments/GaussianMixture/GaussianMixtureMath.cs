namespace VaeGpu.Kernels;

/// <summary>The E-step for one point, written once for GaussianMixtureKernels.Responsibilities and the host backend's loop.</summary>
public static class GaussianMixtureMath
{
    /// <summary>
    /// Responsibilities r_nk = w_k N(x_n; k) / p(x_n) into row n, by log-sum-exp over the components (so far-away points
    /// do not underflow to 0/0); returns log p(x_n). The responsibility row holds the log joint densities until the
    /// normaliser is known: no per-thread array is needed.
    /// </summary>
    public static float Responsibilities<TStorage>(int point, TStorage points, int dimension, int components,
        TStorage parameters, TStorage responsibilities) where TStorage : struct, IFloatStorage
    {
        int first = point * components;
        float largest = float.NegativeInfinity;
        for (int k = 0; k < components; k++)
        {
            float logJoint = LogJointDensity(points, point * dimension, dimension, parameters, k);
            responsibilities[first + k] = logJoint;
            largest = MathF.Max(largest, logJoint);
        }
        float total = 0f;
        for (int k = 0; k < components; k++) total += MathF.Exp(responsibilities[first + k] - largest);
        float logP = largest + MathF.Log(total);
        for (int k = 0; k < components; k++) responsibilities[first + k] = MathF.Exp(responsibilities[first + k] - logP);
        return logP;
    }

    /// <summary>c_k - |W_k (x - mu_k)|^2 / 2 for the point whose coordinates start at <paramref name="start"/>.</summary>
    static float LogJointDensity<TStorage>(TStorage points, int start, int dimension, TStorage parameters, int k)
        where TStorage : struct, IFloatStorage
    {
        int mean = GaussianMixtureLayout.Mean(k, dimension), whitening = GaussianMixtureLayout.Whitening(k, dimension);
        float quadratic = 0f;
        for (int a = 0; a < dimension; a++)
        {
            float whitened = 0f;
            for (int b = 0; b <= a; b++)
                whitened += parameters[whitening + a * dimension + b] * (points[start + b] - parameters[mean + b]);
            quadratic += whitened * whitened;
        }
        return parameters[GaussianMixtureLayout.Constant(k, dimension)] - 0.5f * quadratic;
    }
}
