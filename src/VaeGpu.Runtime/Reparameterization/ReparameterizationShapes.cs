using VaeGpu.Kernels;
using VaeGpu.Runtime.Sampling;

namespace VaeGpu.Runtime.Reparameterization;

/// <summary>The shape checks both implementations share, so a shape bug fails the same way on each.</summary>
static class ReparameterizationShapes
{
    /// <summary>
    /// Returns the latent size d of an encoder head [mu | log sigma^2] (B x 2d) and the draws per image K: z has B K rows
    /// (image i's draws in rows iK .. iK + K - 1), and so do the per-row outputs.
    /// </summary>
    public static (int Latent, int SamplesPerImage) Forward(Tensor head, Tensor z, Tensor klPerRow, Tensor logDensityRatioPerRow, Sampler sampler) =>
        Forward(head, z, klPerRow, logDensityRatioPerRow, sampler, 0, z.Rows / Math.Max(1, head.Rows));

    /// <summary>Forward's checks for a window of draws firstDraw .. firstDraw + K - 1 of drawsPerImage per image.</summary>
    public static (int Latent, int SamplesPerImage) Forward(Tensor head, Tensor z, Tensor klPerRow, Tensor logDensityRatioPerRow, Sampler sampler, int firstDraw, int drawsPerImage)
    {
        if (head.Columns % 2 != 0) throw new ArgumentException($"the encoder head {head} must have 2d columns.");
        if (z.Rows % head.Rows != 0) throw new ArgumentException($"z {z} must have K rows for each of the head's {head.Rows}.", nameof(z));
        ShapeCheck.Shape(z, z.Rows, head.Columns / 2, nameof(z));
        ShapeCheck.Shape(klPerRow, z.Rows, 1, nameof(klPerRow));
        ShapeCheck.Shape(logDensityRatioPerRow, z.Rows, 1, nameof(logDensityRatioPerRow));
        int rowsPerImage = z.Rows / head.Rows;
        if (firstDraw < 0 || drawsPerImage < rowsPerImage || firstDraw > drawsPerImage - rowsPerImage)
            throw new ArgumentOutOfRangeException(nameof(firstDraw), $"draws {firstDraw} .. {firstDraw + rowsPerImage - 1} of {drawsPerImage} per image.");
        SamplerShapes.Draws(sampler, z.Columns, drawsPerImage);
        return (z.Columns, rowsPerImage);
    }

    public static int Backward(Tensor head, Tensor dz, Tensor dHead, EncoderEstimatorScalars scalars, Tensor? nllPerRow, Tensor? baselineSumPerRow)
    {
        if (!EncoderEstimators.All.Contains(scalars.Kind)) throw new ArgumentException($"{scalars.Kind} is no ELBO estimator.", nameof(scalars));
        ShapeCheck.SameShape(head, dHead, nameof(dHead));
        ShapeCheck.Shape(dz, head.Rows, head.Columns / 2, nameof(dz));
        if (scalars.Kind is GradientEstimator.Score or GradientEstimator.ScoreBaseline)
        {
            if (nllPerRow is null) throw new ArgumentNullException(nameof(nllPerRow), "the score estimators need the per-row NLL.");
            ShapeCheck.Shape(nllPerRow, head.Rows, 1, nameof(nllPerRow));
        }
        if (scalars.Kind == GradientEstimator.ScoreBaseline)
        {
            if (baselineSumPerRow is null) throw new ArgumentNullException(nameof(baselineSumPerRow), "ScoreBaseline needs the baseline sums.");
            ShapeCheck.Shape(baselineSumPerRow, head.Rows, 1, nameof(baselineSumPerRow));
        }
        return dz.Columns;
    }
}
