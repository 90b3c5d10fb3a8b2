using System.Numerics.Tensors;
using VaeGpu.Kernels;
using VaeGpu.Runtime.HostPath;

namespace VaeGpu.Runtime.Experiments.GaussianMixture;

/// <summary>
/// EM's passes on the host backend, across the backend's team, a block of points at a time. The E-step is GaussianMixtureMath's
/// Responsibilities, the kernel's own body. The scatter is vectorised and adds each entry's terms in the kernel's
/// order (point by point within a block), so it differs from the kernel only in rounding: the kernel's
/// r (x_a - m_a)(x_b - m_b) groups its products differently from the host's (r y_a) y_b.
/// </summary>
sealed class HostGaussianMixtureOperations(HostBackend backend) : IGaussianMixtureOperations
{
    /// <summary>Points per parallel task of the E-step: large enough that scheduling costs nothing next to the work.</summary>
    const int PointsPerTask = 2048;

    public void Responsibilities(Tensor points, Tensor parameters, Tensor responsibilities, Tensor logDensity)
    {
        int components = GaussianMixtureShapes.Responsibilities(points, parameters, responsibilities, logDensity);
        int count = points.Rows, dimension = points.Columns;
        backend.Team.For((count + PointsPerTask - 1) / PointsPerTask, task =>
        {
            ArrayStorage x = backend.Storage(points), theta = backend.Storage(parameters), r = backend.Storage(responsibilities);
            var logP = backend.Span(logDensity);
            for (int n = task * PointsPerTask; n < Math.Min(count, (task + 1) * PointsPerTask); n++)
                logP[n] = GaussianMixtureMath.Responsibilities(n, x, dimension, components, theta, r);
        });
    }

    public int ScatterPartialRows(int pointCount) => GaussianMixtureKernels.ScatterBlocks(pointCount);

    public void WeightedScatterPartials(Tensor points, Tensor responsibilities, Tensor parameters, Tensor partials)
    {
        int components = GaussianMixtureShapes.Scatter(points, responsibilities, parameters, partials);
        int count = points.Rows, dimension = points.Columns, blockPoints = GaussianMixtureKernels.ScatterBlockPoints;
        backend.Team.For(partials.Rows, block =>
        {
            ReadOnlySpan<float> x = backend.Span(points), r = backend.Span(responsibilities), theta = backend.Span(parameters);
            var sums = backend.Span(partials).Slice(block * partials.Columns, partials.Columns);
            sums.Clear();
            Span<float> centred = stackalloc float[dimension];
            for (int n = block * blockPoints; n < Math.Min(count, (block + 1) * blockPoints); n++)
            for (int k = 0; k < components; k++)
            {
                TensorPrimitives.Subtract(x.Slice(n * dimension, dimension), theta.Slice(GaussianMixtureLayout.Mean(k, dimension), dimension), centred);
                float weight = r[n * components + k];
                // Row a of the scatter += (r y_a) y: one SIMD multiply-add per row (a d-wide outer product).
                for (int a = 0; a < dimension; a++)
                {
                    var row = sums.Slice((k * dimension + a) * dimension, dimension);
                    TensorPrimitives.MultiplyAdd(centred, weight * centred[a], row, row);
                }
            }
        });
    }
}
