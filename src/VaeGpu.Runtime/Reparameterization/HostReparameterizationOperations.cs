using System.Buffers;
using VaeGpu.Kernels;
using VaeGpu.Runtime.HostPath;

namespace VaeGpu.Runtime.Reparameterization;

/// <summary>
/// ReparameterizationMath's row and element bodies, the kernels' own, in plain loops over the host backend's tensors.
/// The step's normals are drawn first, a vector at a time, as FillNormal(seed, stream) draws them; the kernels draw each
/// on the spot (the same numbers up to the last bits of the transcendental functions).
/// </summary>
sealed class HostReparameterizationOperations(HostBackend backend) : IReparameterizationOperations
{
    public void Forward(Tensor head, ulong seed, ulong stream, Tensor z, Tensor klPerRow, Tensor logDensityRatioPerRow, Sampler sampler = Sampler.Mc) =>
        Forward(head, seed, stream, z, klPerRow, logDensityRatioPerRow, sampler, 0, z.Rows / Math.Max(1, head.Rows));

    public void Forward(Tensor head, ulong seed, ulong stream, Tensor z, Tensor klPerRow, Tensor logDensityRatioPerRow, Sampler sampler, int firstDraw, int drawsPerImage)
    {
        var (latent, samplesPerImage) = ReparameterizationShapes.Forward(head, z, klPerRow, logDensityRatioPerRow, sampler, firstDraw, drawsPerImage);
        ArrayStorage h = backend.Storage(head), sample = backend.Storage(z), kl = backend.Storage(klPerRow), logRatio = backend.Storage(logDensityRatioPerRow);
        var eps = HostRandom.FillDraws(z.Length, sampler, seed, stream, latent, samplesPerImage, firstDraw, drawsPerImage, backend.Team);
        int rows = z.Rows;
        backend.Team.For(Blocks(z.Length), block =>
        {
            for (int row = Boundary(rows, block, z.Length); row < Boundary(rows, block + 1, z.Length); row++)
                ReparameterizationMath.ForwardRow(row, h, latent, samplesPerImage, new DrawnImageNormals(eps, samplesPerImage, latent), sample, kl, logRatio);
        });
        ArrayPool<float>.Shared.Return(eps);
    }

    public void Backward(Tensor head, ulong seed, ulong stream, Tensor dz, Tensor dHead, EncoderEstimatorScalars scalars,
        Tensor? nllPerRow = null, Tensor? baselineSumPerRow = null)
    {
        int latent = ReparameterizationShapes.Backward(head, dz, dHead, scalars, nllPerRow, baselineSumPerRow);
        // Tensors the estimator does not read are bound to dz, which is always there, as the ILGPU path does.
        ArrayStorage h = backend.Storage(head), upstream = backend.Storage(dz), result = backend.Storage(dHead);
        ArrayStorage nll = backend.Storage(nllPerRow ?? dz), baseline = backend.Storage(baselineSumPerRow ?? dz);
        var eps = HostRandom.FillDraws(dz.Length, Sampler.Mc, seed, stream, latent, 1, backend.Team);
        int elements = dz.Length;
        backend.Team.For(Blocks(elements), block =>
        {
            for (int index = Boundary(elements, block, elements); index < Boundary(elements, block + 1, elements); index++)
                ReparameterizationMath.BackwardElement(index, h, latent, new DrawnNormals(eps), upstream, nll, baseline, scalars, result);
        });
        ArrayPool<float>.Shared.Return(eps);
    }

    /// <summary>Work items for a pass over this many latent elements: one per ElementsPerBlock, each row or element its own.</summary>
    static int Blocks(int elements) => (elements + ElementsPerBlock - 1) / ElementsPerBlock;

    /// <summary>The first of <paramref name="count"/> rows or elements in block <paramref name="block"/>.</summary>
    static int Boundary(int count, int block, int elements) => (int)Math.Min(count, (long)count * block * ElementsPerBlock / elements);

    const int ElementsPerBlock = 1024;
}
