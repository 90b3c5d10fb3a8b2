using ILGPU;

namespace VaeGpu.Kernels;

/// <summary>
/// The importance-weighted bound's kernels: the per-image weights and bound (a thread per image, so its sums need no
/// atomics), the weighting of the decoder's gradient (a thread per element), and the encoder's gradient under the
/// IWAE estimators (a thread per latent element of an image, summing over its K draws, eps regenerated as the
/// reparameterisation drew it, by the same sampler). Bodies: ImportanceWeightedMath. Reference: ImportanceWeightedReference.
/// </summary>
public static class ImportanceWeightedKernels
{
    /// <summary>The weights and bound of each image under a BoundWeighting; DrawWeights, the weights alone, for a second weighting of the same draws.</summary>
    [Kernel]
    public static void Weigh(Index1D image, int samples, ArrayView<float> nllPerRow, ArrayView<float> logDensityRatioPerRow, ArrayView<float> klPerRow,
        float gradientScale, BoundWeighting weighting, ArrayView<float> rowScale, ArrayView<float> boundPerImage, ArrayView<float> runningSums)
    {
        ImportanceWeightedMath.WeighImage(image, samples, new ViewStorage(nllPerRow), new ViewStorage(logDensityRatioPerRow), new ViewStorage(klPerRow),
            gradientScale, weighting, new ViewStorage(rowScale), new ViewStorage(boundPerImage), new ViewStorage(runningSums));
    }

    [Kernel]
    public static void DrawWeights(Index1D image, int samples, ArrayView<float> nllPerRow, ArrayView<float> logDensityRatioPerRow,
        float gradientScale, BoundWeighting weighting, ArrayView<float> rowScale)
    {
        ImportanceWeightedMath.DrawWeights(image, samples, new ViewStorage(nllPerRow), new ViewStorage(logDensityRatioPerRow), gradientScale, weighting, new ViewStorage(rowScale));
    }

    [Kernel]
    public static void ScoreCoefficients(Index1D image, int samples, ArrayView<float> nllPerRow, ArrayView<float> logDensityRatioPerRow,
        float gradientScale, int leaveOneOut, ArrayView<float> coefficients)
    {
        ImportanceWeightedMath.ScoreCoefficientsImage(image, samples, new ViewStorage(nllPerRow), new ViewStorage(logDensityRatioPerRow), gradientScale, leaveOneOut, new ViewStorage(coefficients));
    }

    [Kernel]
    public static void ScoreEncoderBackward(Index1D index, ArrayView<float> head, int latent, int samples, int sampler, ulong seed, ulong stream,
        ArrayView<uint> sobolDirections, ArrayView<float> coefficients, ArrayView<float> dHead)
    {
        var draws = new ImageDraws<ViewDirections>((Sampler)sampler, seed, stream, latent, samples, new ViewDirections(sobolDirections));
        ImportanceWeightedMath.ScoreEncoderBackwardElement(index, new ViewStorage(head), latent, samples, draws, new ViewStorage(coefficients), new ViewStorage(dHead));
    }

    [Kernel]
    public static void Ratio(Index1D index, ArrayView<float> numerator, ArrayView<float> denominator, ArrayView<float> result)
    {
        ImportanceWeightedMath.RatioElement(index, new ViewStorage(numerator), new ViewStorage(denominator), new ViewStorage(result));
    }

    [Kernel]
    public static void ScaleRows(Index1D index, int columns, ArrayView<float> rowScale, ArrayView<float> values)
    {
        ImportanceWeightedMath.ScaleElement(index, columns, new ViewStorage(rowScale), new ViewStorage(values));
    }

    [Kernel]
    public static void EncoderBackward(Index1D index, ArrayView<float> head, int latent, int samples, int sampler, ulong seed, ulong stream,
        ArrayView<uint> sobolDirections, ArrayView<float> dz, ArrayView<float> rowScale, GradientEstimator kind, ArrayView<float> dHead)
    {
        var draws = new ImageDraws<ViewDirections>((Sampler)sampler, seed, stream, latent, samples, new ViewDirections(sobolDirections));
        ImportanceWeightedMath.EncoderBackwardElement(index, new ViewStorage(head), latent, samples, draws,
            new ViewStorage(dz), new ViewStorage(rowScale), kind, new ViewStorage(dHead));
    }
}
