using VaeGpu.Kernels;
using VaeGpu.Runtime.Sampling;

namespace VaeGpu.Runtime.Experiments.ElboGap;

static class ElboGapShapeCheck
{
    /// <summary>Throws unless the tensors fit the shape; both implementations check the same way.</summary>
    public static void Terms(Tensor parameters, ElboGapShape shape, Tensor z, Tensor terms)
    {
        if (shape.Observed < 1 || shape.Latent < 1)
            throw new ArgumentException($"dimensions d = {shape.Observed}, k = {shape.Latent}: both must be positive.", nameof(shape));
        if (parameters.Length != shape.ParameterCount)
            throw new ArgumentException($"{parameters} for {shape.ParameterCount} parameters.", nameof(parameters));
        if (terms.Columns != 1 || z.Rows != terms.Rows || z.Columns != shape.Latent)
            throw new ArgumentException($"z {z.Rows}x{z.Columns} and terms {terms.Rows}x{terms.Columns}: expected n x {shape.Latent} and n x 1.", nameof(z));
    }

    /// <summary>Throws unless the sampler can draw rowsPerReplicate k-dimensional points per replicate (SamplerShapes.Draws).</summary>
    public static void Draws(Sampler sampler, ElboGapShape shape, long firstRow, int rowsPerReplicate)
    {
        if (firstRow < 0 || rowsPerReplicate < 1) throw new ArgumentOutOfRangeException(nameof(firstRow), $"rows from {firstRow}, {rowsPerReplicate} per replicate.");
        SamplerShapes.Draws(sampler, shape.Latent, rowsPerReplicate);
    }
}
