namespace VaeGpu.Runtime.Likelihood;

/// <summary>The shape check both implementations share, so a shape bug fails the same way on each.</summary>
static class LikelihoodShapes
{
    public static void Check(Tensor output, Tensor x, Tensor gradient, Tensor nllPerRow, Tensor klPerRow, Tensor runningSums)
    {
        ShapeCheck.SameShape(output, x, nameof(x));
        ShapeCheck.SameShape(output, gradient, nameof(gradient));
        ShapeCheck.Shape(nllPerRow, output.Rows, 1, nameof(nllPerRow));
        ShapeCheck.Shape(klPerRow, output.Rows, 1, nameof(klPerRow));
        ShapeCheck.Shape(runningSums, output.Rows, 2, nameof(runningSums));
    }
}
