using System.Buffers;
using VaeGpu.Kernels;
using VaeGpu.Runtime.Cpu;

namespace VaeGpu.Runtime.Reparameterization;

/// <summary>
/// ReparameterizationMath's row and element bodies, the kernels' own, in plain loops over the CPU backend's tensors.
/// The step's normals are drawn first, a vector at a time, as FillNormal(seed, stream) draws them; the kernels draw each
/// on the spot (the same numbers up to the last bits of the transcendental functions).
/// </summary>
sealed class CpuReparameterizationOperations(CpuBackend backend) : IReparameterizationOperations
{
    public void Forward(Tensor head, ulong seed, ulong stream, Tensor z, Tensor klPerRow, Tensor logDensityRatioPerRow)
    {
        int latent = ReparameterizationShapes.Forward(head, z, klPerRow, logDensityRatioPerRow);
        ArrayStorage h = backend.Storage(head), sample = backend.Storage(z), kl = backend.Storage(klPerRow), logRatio = backend.Storage(logDensityRatioPerRow);
        var eps = Draw(z.Length, seed, stream);
        for (int row = 0; row < head.Rows; row++)
            ReparameterizationMath.ForwardRow(row, h, latent, new DrawnNormals(eps), sample, kl, logRatio);
        ArrayPool<float>.Shared.Return(eps);
    }

    public void Backward(Tensor head, ulong seed, ulong stream, Tensor dz, Tensor dHead, EncoderEstimatorScalars scalars,
        Tensor? nllPerRow = null, Tensor? baselineSumPerRow = null)
    {
        int latent = ReparameterizationShapes.Backward(head, dz, dHead, scalars, nllPerRow, baselineSumPerRow);
        // Tensors the estimator does not read are bound to dz, which is always there, as the ILGPU path does.
        ArrayStorage h = backend.Storage(head), upstream = backend.Storage(dz), result = backend.Storage(dHead);
        ArrayStorage nll = backend.Storage(nllPerRow ?? dz), baseline = backend.Storage(baselineSumPerRow ?? dz);
        var eps = Draw(dz.Length, seed, stream);
        for (int index = 0; index < dz.Length; index++)
            ReparameterizationMath.BackwardElement(index, h, latent, new DrawnNormals(eps), upstream, nll, baseline, scalars, result);
        ArrayPool<float>.Shared.Return(eps);
    }

    /// <summary>Elements 0 .. count - 1 of FillNormal(seed, stream), in a pooled array (return it to ArrayPool.Shared).</summary>
    float[] Draw(int count, ulong seed, ulong stream)
    {
        var eps = ArrayPool<float>.Shared.Rent(count);
        CpuRandom.FillNormal(eps.AsMemory(0, count), seed, stream, backend.Team);
        return eps;
    }
}
