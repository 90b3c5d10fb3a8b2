using VaeGpu.Kernels;

namespace VaeGpu.Runtime.Reparameterization;

/// <summary>The shape checks both implementations share, so a shape bug fails the same way on each.</summary>
static class ReparameterizationShapes
{
    /// <summary>Returns the latent size d of an encoder head [mu | log sigma^2] (B x 2d).</summary>
    public static int Forward(Tensor head, Tensor z, Tensor klPerRow, Tensor logDensityRatioPerRow)
    {
        if (head.Columns % 2 != 0) throw new ArgumentException($"the encoder head {head} must have 2d columns.");
        ShapeCheck.Shape(z, head.Rows, head.Columns / 2, nameof(z));
        ShapeCheck.Shape(klPerRow, head.Rows, 1, nameof(klPerRow));
        ShapeCheck.Shape(logDensityRatioPerRow, head.Rows, 1, nameof(logDensityRatioPerRow));
        return z.Columns;
    }

    public static int Backward(Tensor head, Tensor dz, Tensor dHead, EncoderEstimatorScalars scalars, Tensor? nllPerRow, Tensor? baselineSumPerRow)
    {
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
