using VaeGpu.Kernels;

namespace VaeGpu.Runtime.Experiments.GaussianMixture;

/// <summary>The shape checks both implementations share: a mistake is an exception naming the tensor, not a wrong sum.</summary>
static class GaussianMixtureShapes
{
    /// <summary>The component count K, from the responsibilities, after checking every tensor against the points.</summary>
    public static int Responsibilities(Tensor points, Tensor parameters, Tensor responsibilities, Tensor logDensity)
    {
        int components = responsibilities.Columns;
        ShapeCheck.Shape(responsibilities, points.Rows, components, nameof(responsibilities));
        ShapeCheck.Shape(parameters, 1, components * GaussianMixtureLayout.Stride(points.Columns), nameof(parameters));
        ShapeCheck.Shape(logDensity, points.Rows, 1, nameof(logDensity));
        return components;
    }

    public static int Scatter(Tensor points, Tensor responsibilities, Tensor parameters, Tensor partials)
    {
        int components = responsibilities.Columns, dimension = points.Columns;
        ShapeCheck.Shape(responsibilities, points.Rows, components, nameof(responsibilities));
        ShapeCheck.Shape(parameters, 1, components * GaussianMixtureLayout.Stride(dimension), nameof(parameters));
        ShapeCheck.Shape(partials, GaussianMixtureKernels.ScatterBlocks(points.Rows), components * dimension * dimension, nameof(partials));
        return components;
    }
}
