using VaeGpu.Kernels;
using VaeGpu.Runtime.Cpu;

namespace VaeGpu.Runtime.Reparameterization;

/// <summary>ReparameterizationMath's per-element formulas in plain loops over the CPU backend's spans.</summary>
sealed class CpuReparameterizationOperations(CpuBackend backend) : IReparameterizationOperations
{
    public void Forward(Tensor head, ulong seed, ulong stream, Tensor z, Tensor klPerRow, Tensor logDensityRatioPerRow)
    {
        int latent = ReparameterizationShapes.Forward(head, z, klPerRow, logDensityRatioPerRow);
        Span<float> h = backend.Span(head), sample = backend.Span(z), kl = backend.Span(klPerRow), logRatio = backend.Span(logDensityRatioPerRow);
        for (int row = 0; row < head.Rows; row++)
        {
            float klSum = 0f, logRatioSum = 0f;
            for (int j = 0; j < latent; j++)
            {
                float mu = h[row * 2 * latent + j], logVariance = h[row * 2 * latent + latent + j];
                float eps = RandomMath.NormalAt(seed, stream, (long)row * latent + j);
                sample[row * latent + j] = ReparameterizationMath.Forward(mu, logVariance, eps, out float klTerm, out float logRatioTerm);
                klSum += klTerm;
                logRatioSum += logRatioTerm;
            }
            kl[row] = klSum;
            logRatio[row] = logRatioSum;
        }
    }

    public void Backward(Tensor head, ulong seed, ulong stream, Tensor dz, Tensor dHead, EncoderEstimatorScalars scalars,
        Tensor? nllPerRow = null, Tensor? baselineSumPerRow = null)
    {
        int latent = ReparameterizationShapes.Backward(head, dz, dHead, scalars, nllPerRow, baselineSumPerRow);
        Span<float> h = backend.Span(head), upstream = backend.Span(dz), result = backend.Span(dHead);
        Span<float> nll = nllPerRow is null ? default : backend.Span(nllPerRow);
        Span<float> baseline = baselineSumPerRow is null ? default : backend.Span(baselineSumPerRow);
        bool score = scalars.Kind is EncoderEstimator.Score or EncoderEstimator.ScoreBaseline;
        for (int index = 0; index < dz.Length; index++)
        {
            int row = index / latent, j = index % latent;
            float mu = h[row * 2 * latent + j], logVariance = h[row * 2 * latent + latent + j];
            float eps = RandomMath.NormalAt(seed, stream, index);
            float signal = score ? (nll[row] - (baseline.IsEmpty ? 0f : scalars.BaselineScale * baseline[row])) * scalars.SignalScale : 0f;
            ReparameterizationMath.Backward(scalars.Kind, mu, logVariance, eps, upstream[index], scalars.KlWeight, signal, out float dMu, out float dLogVariance);
            result[row * 2 * latent + j] = dMu;
            result[row * 2 * latent + latent + j] = dLogVariance;
        }
    }
}
