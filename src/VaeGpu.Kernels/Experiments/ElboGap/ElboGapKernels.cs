using ILGPU;

namespace VaeGpu.Kernels;

/// <summary>
/// The ELBO's per-sample term for the linear-Gaussian model of ElboGapShape: one thread per sample s draws
/// eps_l = element s k + l of FillNormal(seed, stream), forms z = mean + L eps, and writes z and
/// log p(x|z) + log p(z) - log q(z) - centre. Its mean over samples estimates ELBO(q) - centre.
/// Reference: ElboGapReference.
/// </summary>
public static class ElboGapKernels
{
    [Kernel]
    public static void Terms(Index1D sample, ArrayView<float> parameters, ElboGapShape shape, ulong seed, ulong stream,
        ArrayView<float> z, ArrayView<float> terms)
    {
        int latent = shape.Latent, first = sample * latent;
        float epsSquares = 0f;
        for (int l = 0; l < latent; l++)
        {
            float eps = RandomMath.NormalAt(seed, stream, (long)first + l);
            z[first + l] = eps;
            epsSquares += eps * eps;
        }
        // z = mean + L eps in place, from the last row up: row j of the lower-triangular L reads eps_0 .. eps_j, which
        // the rows below it have not overwritten yet. The z slots hold eps meanwhile, so no per-thread array is needed.
        float zSquares = 0f;
        for (int j = latent - 1; j >= 0; j--)
        {
            float value = parameters[shape.MeanStart + j];
            for (int l = 0; l <= j; l++) value += parameters[shape.FactorStart + j * latent + l] * z[first + l];
            z[first + j] = value;
            zSquares += value * value;
        }
        float residualSquares = 0f;
        for (int i = 0; i < shape.Observed; i++)
        {
            float residual = parameters[i] - parameters[shape.BiasStart + i];
            for (int j = 0; j < latent; j++) residual -= parameters[shape.WeightsStart + i * latent + j] * z[first + j];
            residualSquares += residual * residual;
        }
        terms[sample] = shape.Offset - 0.5f * shape.InverseNoiseVariance * residualSquares - 0.5f * zSquares + 0.5f * epsSquares;
    }
}
