namespace VaeGpu.Runtime.Likelihood;

/// <summary>The shape check both implementations share, so a shape bug fails the same way on each.</summary>
static class LikelihoodShapes
{
    /// <summary>Returns the output rows per row of x (K; 1 for the ELBO).</summary>
    public static int Check(Tensor output, Tensor x, Tensor gradient, Tensor nllPerRow, Tensor klPerRow, Tensor runningSums)
    {
        if (x.Columns != output.Columns || output.Rows % x.Rows != 0)
            throw new ArgumentException($"x {x} must have the output's {output.Columns} columns and a whole fraction of its {output.Rows} rows.", nameof(x));
        ShapeCheck.SameShape(output, gradient, nameof(gradient));
        ShapeCheck.Shape(nllPerRow, output.Rows, 1, nameof(nllPerRow));
        ShapeCheck.Shape(klPerRow, output.Rows, 1, nameof(klPerRow));
        ShapeCheck.Shape(runningSums, output.Rows, 2, nameof(runningSums));
        return output.Rows / x.Rows;
    }
}
