namespace VaeGpu.Kernels;

/// <summary>The ELBO term of one sample, written once for ElboGapKernels.Terms and the host backend's loop.</summary>
public static class ElboGapMath
{
    /// <summary>
    /// Draws eps_l = element firstElement + s k + l of the normals (FillNormal(seed, stream) for plain Monte Carlo, a
    /// sampler's ImageDraws for coupled draws), writes z = mean + L eps into z's row s and returns
    /// log p(x|z) + log p(z) - log q(z) - centre for sample s.
    /// </summary>
    public static float Term<TStorage, TNormals>(int sample, long firstElement, TStorage parameters, ElboGapShape shape, TNormals normals, TStorage z)
        where TStorage : struct, IFloatStorage where TNormals : struct, INormalSource
    {
        int latent = shape.Latent, first = sample * latent;
        float epsSquares = 0f;
        for (int l = 0; l < latent; l++)
        {
            float eps = normals.At(firstElement + first + l);
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
