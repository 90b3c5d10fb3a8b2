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

    /// <summary>Returns the draws per image K after checking that the groups divide it.</summary>
    public static int DrawWeights(Tensor nllPerRow, Tensor logDensityRatioPerRow, Tensor rowScale, int samples, BoundWeighting weighting)
    {
        int images = PerDraw(nllPerRow, logDensityRatioPerRow, rowScale, samples);
        if (weighting.Groups < 1 || samples % weighting.Groups != 0)
            throw new ArgumentException($"{weighting.Groups} groups do not divide {samples} draws per image.", nameof(weighting));
        if (!(weighting.Alpha < 1f) || !(weighting.ElboWeight >= 0f && weighting.ElboWeight <= 1f))
            throw new ArgumentException($"alpha {weighting.Alpha} must be below 1 and the ELBO weight {weighting.ElboWeight} in [0, 1].", nameof(weighting));
        return images;
    }

    /// <summary>Per-draw columns of B K x 1 with K = samples; returns the images B.</summary>
    public static int PerDraw(Tensor nllPerRow, Tensor logDensityRatioPerRow, Tensor result, int samples)
    {
        if (samples < 1 || nllPerRow.Rows % samples != 0) throw new ArgumentException($"nllPerRow {nllPerRow} must have {samples} rows per image.", nameof(nllPerRow));
        ShapeCheck.Shape(nllPerRow, nllPerRow.Rows, 1, nameof(nllPerRow));
        ShapeCheck.SameShape(nllPerRow, logDensityRatioPerRow, nameof(logDensityRatioPerRow));
        ShapeCheck.SameShape(nllPerRow, result, nameof(result));
        return nllPerRow.Rows / samples;
    }

    /// <summary>Returns the latent size d and the draws per image K.</summary>
    public static (int Latent, int SamplesPerImage) ScoreEncoderBackward(Tensor head, Tensor coefficients, Tensor dHead, Sampler sampler)
    {
        if (head.Columns % 2 != 0) throw new ArgumentException($"the encoder head {head} must have 2d columns.", nameof(head));
        ShapeCheck.SameShape(head, dHead, nameof(dHead));
        if (coefficients.Columns != 1 || coefficients.Rows % head.Rows != 0)
            throw new ArgumentException($"coefficients {coefficients} must have K rows for each of the head's {head.Rows}.", nameof(coefficients));
        SamplerShapes.Draws(sampler, head.Columns / 2, coefficients.Rows / head.Rows);
        return (head.Columns / 2, coefficients.Rows / head.Rows);
    }

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
