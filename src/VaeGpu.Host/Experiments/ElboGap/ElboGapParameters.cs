using MathNet.Numerics.LinearAlgebra;
using VaeGpu.Kernels;

namespace VaeGpu.Host.Experiments.ElboGap;

/// <summary>The ELBO-term kernel's inputs for a model, an observation and a q, laid out as ElboGapShape says.</summary>
public static class ElboGapParameters
{
    /// <summary>
    /// The shape whose terms are log p(x|z) + log p(z) - log q(z) - <paramref name="centre"/>: Offset collects
    /// -d/2 log(2 pi sigma^2) + log det L (the 2 pi terms of p(z) and q(z) cancel), computed in double.
    /// </summary>
    public static ElboGapShape Shape(LinearGaussianModel model, Gaussian q, double centre) => new()
    {
        Observed = model.Observed,
        Latent = model.Latent,
        InverseNoiseVariance = (float)(1 / model.NoiseVariance),
        Offset = (float)(-0.5 * model.Observed * Math.Log(2 * Math.PI * model.NoiseVariance) + 0.5 * q.LogDeterminant - centre),
    };

    /// <summary>[x | W | b | q mean | q factor], every value already a float (LinearGaussianModel, Gaussian.RoundedToFloat).</summary>
    public static float[] Pack(LinearGaussianModel model, Vector<double> x, Gaussian q)
    {
        int d = model.Observed, k = model.Latent;
        var shape = Shape(model, q, 0);
        float[] packed = new float[shape.ParameterCount];
        for (int i = 0; i < d; i++)
        {
            packed[i] = (float)x[i];
            packed[shape.BiasStart + i] = (float)model.Bias[i];
            for (int j = 0; j < k; j++) packed[shape.WeightsStart + i * k + j] = (float)model.Weights[i, j];
        }
        for (int j = 0; j < k; j++)
        {
            packed[shape.MeanStart + j] = (float)q.Mean[j];
            for (int l = 0; l <= j; l++) packed[shape.FactorStart + j * k + l] = (float)q.Factor[j, l];
        }
        return packed;
    }
}
