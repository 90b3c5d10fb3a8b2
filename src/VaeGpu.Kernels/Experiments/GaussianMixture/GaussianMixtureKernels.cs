using ILGPU;

namespace VaeGpu.Kernels;

/// <summary>
/// The two data passes of EM for a Gaussian mixture with full covariances (points N x d, responsibilities N x K,
/// parameters as GaussianMixtureLayout). Neither uses atomics: each output element has one thread that adds in a
/// fixed order, so a device gives the same bits on every run. E-step body: GaussianMixtureMath. Reference:
/// GaussianMixtureReference.
/// </summary>
public static class GaussianMixtureKernels
{
    /// <summary>Points per block of WeightedScatterPartials: enough work per thread, and enough blocks to fill a GPU.</summary>
    public const int ScatterBlockPoints = 256;

    /// <summary>E-step, one thread per point: GaussianMixtureMath.Responsibilities.</summary>
    [Kernel]
    public static void Responsibilities(Index1D point, ArrayView<float> points, int dimension, int components,
        ArrayView<float> parameters, ArrayView<float> responsibilities, ArrayView<float> logDensity) =>
        logDensity[point] = GaussianMixtureMath.Responsibilities(point, new ViewStorage(points), dimension, components,
            new ViewStorage(parameters), new ViewStorage(responsibilities));

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
