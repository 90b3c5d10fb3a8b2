namespace VaeGpu.Kernels;

/// <summary>The ELBO term of one sample, written once for ElboGapKernels.Terms and the CPU backend's loop.</summary>
public static class ElboGapMath
{
    /// <summary>
    /// Draws eps_l = element s k + l of FillNormal(seed, stream), writes z = mean + L eps into z's row s and returns
    /// log p(x|z) + log p(z) - log q(z) - centre for sample s.
    /// </summary>
    public static float Term<TStorage>(int sample, TStorage parameters, ElboGapShape shape, ulong seed, ulong stream, TStorage z)
        where TStorage : struct, IFloatStorage
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
        return shape.Offset - 0.5f * shape.InverseNoiseVariance * residualSquares - 0.5f * zSquares + 0.5f * epsSquares;
    }
}
