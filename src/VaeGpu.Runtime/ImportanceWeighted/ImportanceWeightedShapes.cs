using VaeGpu.Kernels;
using VaeGpu.Runtime.Sampling;

namespace VaeGpu.Runtime.ImportanceWeighted;

/// <summary>The shape checks both implementations share, so a shape bug fails the same way on each.</summary>
static class ImportanceWeightedShapes
{
    /// <summary>Returns the draws per image K.</summary>
    public static int Weigh(Tensor nllPerRow, Tensor logDensityRatioPerRow, Tensor klPerRow, Tensor rowScale, Tensor boundPerImage, Tensor runningSums)
    {
        int images = boundPerImage.Rows;
        if (nllPerRow.Rows % images != 0) throw new ArgumentException($"nllPerRow {nllPerRow} must have K rows for each of {images} images.", nameof(nllPerRow));
        ShapeCheck.Shape(nllPerRow, nllPerRow.Rows, 1, nameof(nllPerRow));
        ShapeCheck.SameShape(nllPerRow, logDensityRatioPerRow, nameof(logDensityRatioPerRow));
        ShapeCheck.SameShape(nllPerRow, klPerRow, nameof(klPerRow));
        ShapeCheck.SameShape(nllPerRow, rowScale, nameof(rowScale));
        ShapeCheck.Shape(boundPerImage, images, 1, nameof(boundPerImage));
        ShapeCheck.Shape(runningSums, images, 2, nameof(runningSums));
        return nllPerRow.Rows / images;
    }

    public static void ScaleRows(Tensor values, Tensor rowScale) => ShapeCheck.Shape(rowScale, values.Rows, 1, nameof(rowScale));

    /// <summary>Returns the latent size d and the draws per image K.</summary>
    public static (int Latent, int SamplesPerImage) EncoderBackward(Tensor head, Tensor dz, Tensor rowScale, GradientEstimator estimator, Tensor dHead, Sampler sampler)
    {
        if (!EncoderEstimators.ImportanceWeighted.Contains(estimator)) throw new ArgumentException($"{estimator} is no IWAE estimator.", nameof(estimator));
        if (head.Columns % 2 != 0) throw new ArgumentException($"the encoder head {head} must have 2d columns.", nameof(head));
        ShapeCheck.SameShape(head, dHead, nameof(dHead));
        if (dz.Rows % head.Rows != 0 || dz.Columns != head.Columns / 2)
            throw new ArgumentException($"dz {dz} must have K rows of d = {head.Columns / 2} for each of the head's {head.Rows}.", nameof(dz));
        ShapeCheck.Shape(rowScale, dz.Rows, 1, nameof(rowScale));
        SamplerShapes.Draws(sampler, dz.Columns, dz.Rows / head.Rows);
        return (dz.Columns, dz.Rows / head.Rows);
    }
}
