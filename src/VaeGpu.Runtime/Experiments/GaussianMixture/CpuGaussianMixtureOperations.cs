using System.Numerics.Tensors;
using VaeGpu.Kernels;
using VaeGpu.Runtime.Cpu;

namespace VaeGpu.Runtime.Experiments.GaussianMixture;

/// <summary>
/// The kernels' arithmetic on CpuBackend's spans, in parallel over blocks of points. The scatter adds each entry's
/// terms in the kernel's order (point by point within a block), so the two paths differ only in rounding (exp/log,
/// and where the kernel's r (x_a - m_a)(x_b - m_b) groups its products differently from the host's (r y_a) y_b).
/// </summary>
sealed class CpuGaussianMixtureOperations(CpuBackend backend) : IGaussianMixtureOperations
{
    /// <summary>Points per parallel task of the E-step: large enough that scheduling costs nothing next to the work.</summary>
    const int PointsPerTask = 2048;

    public void Responsibilities(Tensor points, Tensor parameters, Tensor responsibilities, Tensor logDensity)
    {
        int components = GaussianMixtureShapes.Responsibilities(points, parameters, responsibilities, logDensity);
        int count = points.Rows, dimension = points.Columns;
        Parallel.For(0, (count + PointsPerTask - 1) / PointsPerTask, task =>
        {
            ReadOnlySpan<float> x = backend.Span(points), theta = backend.Span(parameters);
            Span<float> r = backend.Span(responsibilities), logP = backend.Span(logDensity);
            for (int n = task * PointsPerTask; n < Math.Min(count, (task + 1) * PointsPerTask); n++)
                logP[n] = Normalise(x.Slice(n * dimension, dimension), theta, r.Slice(n * components, components));
        });
    }

    /// <summary>One point's responsibilities into <paramref name="row"/> (log-sum-exp, as the kernel); returns log p(x).</summary>
    static float Normalise(ReadOnlySpan<float> x, ReadOnlySpan<float> parameters, Span<float> row)
    {
        int dimension = x.Length;
        float largest = float.NegativeInfinity;
        for (int k = 0; k < row.Length; k++)
        {
            var mean = parameters.Slice(GaussianMixtureLayout.Mean(k, dimension), dimension);
            var whitening = parameters.Slice(GaussianMixtureLayout.Whitening(k, dimension), dimension * dimension);
            float quadratic = 0f;
            for (int a = 0; a < dimension; a++)
            {
                float whitened = 0f;
                for (int b = 0; b <= a; b++) whitened += whitening[a * dimension + b] * (x[b] - mean[b]);
                quadratic += whitened * whitened;
            }
            row[k] = parameters[GaussianMixtureLayout.Constant(k, dimension)] - 0.5f * quadratic;
            largest = MathF.Max(largest, row[k]);
        }
        float total = 0f;
        foreach (float logJoint in row) total += MathF.Exp(logJoint - largest);
        float logP = largest + MathF.Log(total);
        for (int k = 0; k < row.Length; k++) row[k] = MathF.Exp(row[k] - logP);
        return logP;
    }

    public int ScatterPartialRows(int pointCount) => GaussianMixtureKernels.ScatterBlocks(pointCount);

    public void WeightedScatterPartials(Tensor points, Tensor responsibilities, Tensor parameters, Tensor partials)
    {
        int components = GaussianMixtureShapes.Scatter(points, responsibilities, parameters, partials);
        int count = points.Rows, dimension = points.Columns, blockPoints = GaussianMixtureKernels.ScatterBlockPoints;
        Parallel.For(0, partials.Rows, block =>
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
