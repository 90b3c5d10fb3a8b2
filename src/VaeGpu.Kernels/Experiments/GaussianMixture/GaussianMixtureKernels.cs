using ILGPU;

namespace VaeGpu.Kernels;

/// <summary>
/// The two data passes of EM for a Gaussian mixture with full covariances (points N x d, responsibilities N x K,
/// parameters as GaussianMixtureLayout). Neither uses atomics: each output element has one thread that adds in a
/// fixed order, so a device gives the same bits on every run. Reference: GaussianMixtureReference.
/// </summary>
public static class GaussianMixtureKernels
{
    /// <summary>Points per block of WeightedScatterPartials: enough work per thread, and enough blocks to fill a GPU.</summary>
    public const int ScatterBlockPoints = 256;

    /// <summary>
    /// E-step, one thread per point: responsibilities r_nk = w_k N(x_n; k) / p(x_n) and log p(x_n), by log-sum-exp
    /// over the components (so far-away points do not underflow to 0/0). The responsibility row holds the log joint
    /// densities until the normaliser is known: no per-thread array is needed.
    /// </summary>
    [Kernel]
    public static void Responsibilities(Index1D point, ArrayView<float> points, int dimension, int components,
        ArrayView<float> parameters, ArrayView<float> responsibilities, ArrayView<float> logDensity)
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
        logDensity[point] = logP;
    }

    /// <summary>c_k - |W_k (x - mu_k)|^2 / 2 for the point whose coordinates start at <paramref name="start"/>.</summary>
    static float LogJointDensity(ArrayView<float> points, int start, int dimension, ArrayView<float> parameters, int k)
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

    /// <summary>
    /// M-step scatter, one thread per (entry, block of ScatterBlockPoints points) with entry = (k d + a) d + b:
    /// partials[block, entry] = sum over the block's points of r_nk (x_na - m_ka)(x_nb - m_kb), where m_k is the mean
    /// the E-step just used. Scattering about that mean rather than the origin keeps float sums small where the data
    /// sit far from zero; the host turns it into the new covariance. IBackend.SumColumns then adds the blocks.
    /// </summary>
    [Kernel]
    public static void WeightedScatterPartials(Index2D index, ArrayView<float> points, ArrayView<float> responsibilities,
        ArrayView<float> parameters, int pointCount, int dimension, int components, ArrayView<float> partials)
    {
        int entry = index.X, block = index.Y, square = dimension * dimension;
        int k = entry / square, a = entry / dimension % dimension, b = entry % dimension;
        float centreA = parameters[GaussianMixtureLayout.Mean(k, dimension) + a];
        float centreB = parameters[GaussianMixtureLayout.Mean(k, dimension) + b];
        int end = Math.Min(pointCount, (block + 1) * ScatterBlockPoints);
        float sum = 0f;
        for (int n = block * ScatterBlockPoints; n < end; n++)
            sum += responsibilities[n * components + k] * (points[n * dimension + a] - centreA) * (points[n * dimension + b] - centreB);
        partials[block * components * square + entry] = sum;
    }

    /// <summary>Blocks of ScatterBlockPoints points that cover <paramref name="pointCount"/> points.</summary>
    public static int ScatterBlocks(int pointCount) => (pointCount + ScatterBlockPoints - 1) / ScatterBlockPoints;
}
