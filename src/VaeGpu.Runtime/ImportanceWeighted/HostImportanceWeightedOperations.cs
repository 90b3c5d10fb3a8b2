using System.Buffers;
using System.Numerics.Tensors;
using VaeGpu.Kernels;
using VaeGpu.Runtime.HostPath;

namespace VaeGpu.Runtime.ImportanceWeighted;

/// <summary>
/// ImportanceWeightedMath's bodies, the kernels' own, in plain loops over the host backend's tensors. The weights are a
/// few hundred numbers per step and run on the calling thread; the row scaling and the encoder's gradient are split
/// across the team. The encoder pass draws its normals first, a vector at a time, as FillNormal(seed, stream) draws them.
/// </summary>
sealed class HostImportanceWeightedOperations(HostBackend backend) : IImportanceWeightedOperations
{
    public void Weigh(Tensor nllPerRow, Tensor logDensityRatioPerRow, Tensor klPerRow, float gradientScale, BoundWeighting weighting, Tensor rowScale, Tensor boundPerImage, Tensor runningSums)
    {
        int samples = ImportanceWeightedShapes.Weigh(nllPerRow, logDensityRatioPerRow, klPerRow, rowScale, boundPerImage, runningSums);
        ImportanceWeightedShapes.DrawWeights(nllPerRow, logDensityRatioPerRow, rowScale, samples, weighting);
        ArrayStorage nll = backend.Storage(nllPerRow), logRatio = backend.Storage(logDensityRatioPerRow), kl = backend.Storage(klPerRow);
        ArrayStorage scale = backend.Storage(rowScale), bound = backend.Storage(boundPerImage), sums = backend.Storage(runningSums);
        for (int image = 0; image < boundPerImage.Rows; image++)
            ImportanceWeightedMath.WeighImage(image, samples, nll, logRatio, kl, gradientScale, weighting, scale, bound, sums);
    }

    public void DrawWeights(Tensor nllPerRow, Tensor logDensityRatioPerRow, int samplesPerImage, float gradientScale, BoundWeighting weighting, Tensor rowScale)
    {
        int images = ImportanceWeightedShapes.DrawWeights(nllPerRow, logDensityRatioPerRow, rowScale, samplesPerImage, weighting);
        ArrayStorage nll = backend.Storage(nllPerRow), logRatio = backend.Storage(logDensityRatioPerRow), scale = backend.Storage(rowScale);
        for (int image = 0; image < images; image++) ImportanceWeightedMath.DrawWeights(image, samplesPerImage, nll, logRatio, gradientScale, weighting, scale);
    }

    public void ScoreCoefficients(Tensor nllPerRow, Tensor logDensityRatioPerRow, int samplesPerImage, float gradientScale, bool leaveOneOut, Tensor coefficients)
    {
        int images = ImportanceWeightedShapes.PerDraw(nllPerRow, logDensityRatioPerRow, coefficients, samplesPerImage);
        if (leaveOneOut && samplesPerImage < 2) throw new ArgumentException("leave-one-out baselines need at least 2 draws per image.", nameof(samplesPerImage));
        ArrayStorage nll = backend.Storage(nllPerRow), logRatio = backend.Storage(logDensityRatioPerRow), result = backend.Storage(coefficients);
        for (int image = 0; image < images; image++)
            ImportanceWeightedMath.ScoreCoefficientsImage(image, samplesPerImage, nll, logRatio, gradientScale, leaveOneOut ? 1 : 0, result);
    }

    public void ScoreEncoderBackward(Tensor head, ulong seed, ulong stream, Tensor coefficients, Tensor dHead, Sampler sampler = Sampler.Mc)
    {
        var (latent, samples) = ImportanceWeightedShapes.ScoreEncoderBackward(head, coefficients, dHead, sampler);
        ArrayStorage h = backend.Storage(head), c = backend.Storage(coefficients), result = backend.Storage(dHead);
        var eps = HostRandom.FillDraws(coefficients.Rows * latent, sampler, seed, stream, latent, samples, backend.Team);
        int elements = head.Rows * latent, elementsPerBlock = Math.Max(1, ElementsPerBlock / samples);
        backend.Team.For((elements + elementsPerBlock - 1) / elementsPerBlock, block =>
        {
            for (int index = block * elementsPerBlock; index < Math.Min(elements, (block + 1) * elementsPerBlock); index++)
                ImportanceWeightedMath.ScoreEncoderBackwardElement(index, h, latent, samples, new DrawnImageNormals(eps, samples, latent), c, result);
        });
        ArrayPool<float>.Shared.Return(eps);
    }

    public void Ratio(Tensor numerator, Tensor denominator, Tensor result)
    {
        ShapeCheck.SameShape(numerator, denominator, nameof(denominator));
        ShapeCheck.SameShape(numerator, result, nameof(result));
        ArrayStorage top = backend.Storage(numerator), bottom = backend.Storage(denominator), quotient = backend.Storage(result);
        for (int i = 0; i < result.Length; i++) ImportanceWeightedMath.RatioElement(i, top, bottom, quotient);
    }

    public void ScaleRows(Tensor values, Tensor rowScale)
    {
        ImportanceWeightedShapes.ScaleRows(values, rowScale);
        int columns = values.Columns, rows = values.Rows;
        int rowsPerBlock = Math.Max(1, ElementsPerBlock / columns);
        backend.Team.For((rows + rowsPerBlock - 1) / rowsPerBlock, block =>
        {
            Span<float> all = backend.Span(values), scale = backend.Span(rowScale);
            for (int row = block * rowsPerBlock; row < Math.Min(rows, (block + 1) * rowsPerBlock); row++)
                TensorPrimitives.Multiply(all.Slice(row * columns, columns), scale[row], all.Slice(row * columns, columns));
        });
    }

    public void EncoderBackward(Tensor head, ulong seed, ulong stream, Tensor dz, Tensor rowScale, GradientEstimator estimator, Tensor dHead, Sampler sampler = Sampler.Mc)
    {
        var (latent, samples) = ImportanceWeightedShapes.EncoderBackward(head, dz, rowScale, estimator, dHead, sampler);
        ArrayStorage h = backend.Storage(head), upstream = backend.Storage(dz), scale = backend.Storage(rowScale), result = backend.Storage(dHead);
        var eps = HostRandom.FillDraws(dz.Length, sampler, seed, stream, latent, samples, backend.Team);
        int elements = head.Rows * latent, elementsPerBlock = Math.Max(1, ElementsPerBlock / samples);
        backend.Team.For((elements + elementsPerBlock - 1) / elementsPerBlock, block =>
        {
            for (int index = block * elementsPerBlock; index < Math.Min(elements, (block + 1) * elementsPerBlock); index++)
                ImportanceWeightedMath.EncoderBackwardElement(index, h, latent, samples, new DrawnImageNormals(eps, samples, latent), upstream, scale, estimator, result);
        });
        ArrayPool<float>.Shared.Return(eps);
    }

    const int ElementsPerBlock = 1 << 14;
}
