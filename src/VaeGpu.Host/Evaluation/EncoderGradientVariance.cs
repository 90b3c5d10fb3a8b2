using VaeGpu.Host.Model;
using VaeGpu.Kernels;
using VaeGpu.Runtime;

namespace VaeGpu.Host.Evaluation;

/// <summary>One row of the variance table: an estimator's single-sample gradient of one encoder tensor, under an objective.</summary>
public sealed record TensorGradientStatistics(GradientEstimator Estimator, string Tensor, int Elements, double MeanVariance, double MeanSignalToNoise)
{
    public Objective Objective { get; init; } = Objective.Elbo;

    public Sampler Sampler { get; init; } = Sampler.Mc;
}

/// <summary>
/// How noisy each encoder-gradient estimator is inside a trained VAE. For a fixed batch, each of M samples draws one z per
/// image and computes the gradient of the batch's mean loss (NLL + KL) for every encoder parameter; per element the mean
/// and variance over the M samples are accumulated in double (Welford). The loss is the model's objective: the ELBO, or
/// -L_K with K draws per image, whose encoder-gradient SNR falls with K for the plain IWAE gradient (Rainforth et al.
/// 2018) and not for DReG. Per tensor the table gives the mean over
/// elements of the variance and of the signal-to-noise ratio |mean| / std. Every estimator sees the same M noise
/// draws (common random numbers), so differences between rows are the estimators', not the draws'.
/// </summary>
public sealed class EncoderGradientVariance(IBackend backend, VaeModel model)
{
    public IReadOnlyList<TensorGradientStatistics> Measure(float[] images, int gradientSamples, ulong seed, IReadOnlyList<GradientEstimator> estimators)
    {
        if (gradientSamples < 2) throw new InvalidSettingException(nameof(gradientSamples), gradientSamples, "a variance needs at least 2 samples.");
        int rows = images.Length / model.Config.Inputs;
        var b = model.Buffers(rows);
        backend.Upload(images, b.X);
        int encoderLength = model.Layout.Encoder[^1].End; // the encoder's parameters come first in the flat buffer
        var encoderGradient = backend.View(model.Gradients, 0, 1, encoderLength);
        var gradient = new float[encoderLength];
        var rowsOut = new List<TensorGradientStatistics>();
        foreach (var estimator in estimators)
        {
            var mean = new double[encoderLength];
            var squaredDeviations = new double[encoderLength];
            for (int sample = 0; sample < gradientSamples; sample++)
            {
                ulong stream = RandomStreams.GradientVarianceSample(sample);
                model.ComputeGradients(b, seed, stream, klWeight: 1f, estimator);
                backend.Download(encoderGradient, gradient);
                for (int i = 0; i < encoderLength; i++)
                {
                    double delta = gradient[i] - mean[i];
                    mean[i] += delta / (sample + 1);
                    squaredDeviations[i] += delta * (gradient[i] - mean[i]);
                }
            }
            foreach (var layer in model.Layout.Encoder)
            {
                rowsOut.Add(Summarise(estimator, $"{layer.Name}.weight", mean, squaredDeviations, layer.WeightOffset, layer.BiasOffset, gradientSamples) with { Objective = model.Objective, Sampler = model.Sampler });
                rowsOut.Add(Summarise(estimator, $"{layer.Name}.bias", mean, squaredDeviations, layer.BiasOffset, layer.End, gradientSamples) with { Objective = model.Objective, Sampler = model.Sampler });
            }
        }
        return rowsOut;
    }

    static TensorGradientStatistics Summarise(GradientEstimator estimator, string tensor, double[] mean, double[] squaredDeviations, int start, int end, int samples)
    {
        double varianceSum = 0, snrSum = 0;
        int snrCount = 0;
        for (int i = start; i < end; i++)
        {
            double variance = squaredDeviations[i] / (samples - 1);
            varianceSum += variance;
            if (variance > 0)
            {
                snrSum += Math.Abs(mean[i]) / Math.Sqrt(variance);
                snrCount++;
            }
        }
        if (!double.IsFinite(varianceSum))
            throw new UserErrorException("the model's gradients are NaN or infinite: it is not usable (was its training diverging?).");
        return new TensorGradientStatistics(estimator, tensor, end - start, varianceSum / (end - start), snrCount == 0 ? 0 : snrSum / snrCount);
    }
}
