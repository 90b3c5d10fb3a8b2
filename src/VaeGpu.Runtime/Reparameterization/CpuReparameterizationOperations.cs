using VaeGpu.Kernels;
using VaeGpu.Runtime.Cpu;

namespace VaeGpu.Runtime.Reparameterization;

/// <summary>ReparameterizationMath's row and element bodies, the kernels' own, in plain loops over the CPU backend's tensors.</summary>
sealed class CpuReparameterizationOperations(CpuBackend backend) : IReparameterizationOperations
{
    public void Forward(Tensor head, ulong seed, ulong stream, Tensor z, Tensor klPerRow, Tensor logDensityRatioPerRow)
    {
        int latent = ReparameterizationShapes.Forward(head, z, klPerRow, logDensityRatioPerRow);
        ArrayStorage h = backend.Storage(head), sample = backend.Storage(z), kl = backend.Storage(klPerRow), logRatio = backend.Storage(logDensityRatioPerRow);
        for (int row = 0; row < head.Rows; row++)
            ReparameterizationMath.ForwardRow(row, h, latent, seed, stream, sample, kl, logRatio);
    }

    public void Backward(Tensor head, ulong seed, ulong stream, Tensor dz, Tensor dHead, EncoderEstimatorScalars scalars,
        Tensor? nllPerRow = null, Tensor? baselineSumPerRow = null)
    {
        int latent = ReparameterizationShapes.Backward(head, dz, dHead, scalars, nllPerRow, baselineSumPerRow);
        // Tensors the estimator does not read are bound to dz, which is always there, as the ILGPU path does.
        ArrayStorage h = backend.Storage(head), upstream = backend.Storage(dz), result = backend.Storage(dHead);
        ArrayStorage nll = backend.Storage(nllPerRow ?? dz), baseline = backend.Storage(baselineSumPerRow ?? dz);
        for (int index = 0; index < dz.Length; index++)
            ReparameterizationMath.BackwardElement(index, h, latent, seed, stream, upstream, nll, baseline, scalars, result);
    }
}
