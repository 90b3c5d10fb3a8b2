using VaeGpu.Host.Model;
using VaeGpu.Kernels;

namespace VaeGpu.Tests.Model;

/// <summary>
/// The VAE's loss written out plainly in double from the flat parameter vector: mean over rows of
/// NLL + klWeight * KL, with the same noise (element r * latent + j of FillNormal(seed, stream)). The oracle for the
/// model's gradients (by finite differences) and losses.
/// </summary>
public static class VaeLossReference
{
    public static double Loss(VaeConfig config, double[] parameters, float[] x, int rows, ulong seed, ulong stream, double klWeight)
    {
        double total = 0;
        for (int r = 0; r < rows; r++)
        {
            double[] head = Head(config, parameters, x, r);
            double kl = 0;
            var z = new double[config.Latent];
            for (int j = 0; j < config.Latent; j++)
            {
                double mu = head[j], logVariance = head[config.Latent + j];
                z[j] = mu + Math.Exp(0.5 * logVariance) * RandomMath.NormalAt(seed, stream, (long)r * config.Latent + j);
                kl += -0.5 * (1 + logVariance - mu * mu - Math.Exp(logVariance));
            }
            total += Nll(config, parameters, z, x, r) + klWeight * kl;
        }
        return total / rows;
    }

    /// <summary>The encoder's head [mu | log sigma^2] for image <paramref name="row"/> of x.</summary>
    public static double[] Head(VaeConfig config, double[] parameters, float[] x, int row)
    {
        double[] h = Enumerable.Range(0, config.Inputs).Select(j => (double)x[row * config.Inputs + j]).ToArray();
        foreach (var layer in new ParameterLayout(config).Encoder) h = Linear(layer, parameters, h);
        return h;
    }

    /// <summary>-log p(x|z) for image <paramref name="row"/> of x, decoded from z.</summary>
    public static double Nll(VaeConfig config, double[] parameters, double[] z, float[] x, int row)
    {
        double[] output = z;
        foreach (var layer in new ParameterLayout(config).Decoder) output = Linear(layer, parameters, output);
        double nll = 0;
        for (int j = 0; j < config.Inputs; j++)
        {
            double target = x[row * config.Inputs + j], o = output[j];
            nll += config.Likelihood == Likelihood.Bernoulli
                ? Math.Max(o, 0) + Math.Log(1 + Math.Exp(-Math.Abs(o))) - target * o
                : (target - o) * (target - o) / (2.0 * config.SigmaX * config.SigmaX) + 0.5 * Math.Log(2 * Math.PI * config.SigmaX * config.SigmaX);
        }
        return nll;
    }

    static double[] Linear(LinearLayer layer, double[] parameters, double[] input)
    {
        var output = new double[layer.Outputs];
        for (int o = 0; o < layer.Outputs; o++)
        {
            double sum = parameters[layer.BiasOffset + o];
            for (int i = 0; i < layer.Inputs; i++) sum += input[i] * parameters[layer.WeightOffset + i * layer.Outputs + o];
            output[o] = MatMulReference.Activate(layer.Activation, sum);
        }
        return output;
    }
}
