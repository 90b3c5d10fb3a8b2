using VaeGpu.Host.Evaluation;
using VaeGpu.Host.Model;
using VaeGpu.Host.Training;
using VaeGpu.Kernels;

namespace VaeGpu.Tests.Model;

/// <summary>
/// The encoder-gradient estimators: unbiased (their mean over many draws agrees with the path-wise one, which the
/// finite-difference tests pin down), and ordered in variance as the theory says.
/// </summary>
public class EncoderEstimatorTests
{
    const int Rows = 3;
    static readonly VaeConfig Config = new(Inputs: 6, Hidden: [5], Latent: 2, Likelihood.Bernoulli, SigmaX: 1f);

    /// <summary>Per element of the encoder's gradient: the mean and the variance of the single-sample estimator over draws.</summary>
    static (double[] Mean, double[] Variance) GradientMoments(VaeModel model, BatchBuffers b, GradientEstimator estimator, int draws, ulong streamOffset)
    {
        var backend = Backends.Get("host");
        int length = model.Layout.Encoder[^1].End;
        var (sum, sumOfSquares) = (new double[length], new double[length]);
        for (int draw = 0; draw < draws; draw++)
        {
            ulong stream = streamOffset + (ulong)draw;
            model.ComputeGradients(b, 1, stream, klWeight: 1f, estimator);
            float[] gradient = backend.Download(model.Gradients)[..length];
            for (int i = 0; i < length; i++)
            {
                sum[i] += gradient[i];
                sumOfSquares[i] += (double)gradient[i] * gradient[i];
            }
        }
        var mean = sum.Select(s => s / draws).ToArray();
        return (mean, sumOfSquares.Select((s, i) => s / draws - mean[i] * mean[i]).ToArray());
    }

    /// <summary>
    /// Each estimator's mean over 20000 independent draws lies within 5 standard errors (of the difference of two
    /// independent means) of the path-wise mean, element by element.
    /// </summary>
    [TestCase(GradientEstimator.Stl)]
    [TestCase(GradientEstimator.Score)]
    [TestCase(GradientEstimator.ScoreBaseline)]
    public void EstimatorsAreUnbiased(GradientEstimator estimator)
    {
        var backend = Backends.Get("host");
        var model = new VaeModel(backend, Config, Rows);
        model.Initialise(seed: 2);
        var b = model.Buffers(Rows);
        backend.Upload(RandomArrays.Uniform(Rows * Config.Inputs, 31, 0f, 1f), b.X);
        const int draws = 20000;

        var pathwise = GradientMoments(model, b, GradientEstimator.Pathwise, draws, streamOffset: 0);
        var other = GradientMoments(model, b, estimator, draws, streamOffset: 1_000_000);

        for (int i = 0; i < pathwise.Mean.Length; i++)
        {
            double standardError = Math.Sqrt((pathwise.Variance[i] + other.Variance[i]) / draws);
            Assert.That(other.Mean[i], Is.EqualTo(pathwise.Mean[i]).Within(5 * standardError + 1e-6), $"element {i}");
        }
    }

    /// <summary>
    /// On a model trained a little: the score-function estimator is far noisier than the path-wise one in every encoder
    /// tensor, and the baseline removes much of that noise.
    /// </summary>
    [Test]
    public void ScoreFunctionIsNoisierAndTheBaselineHelps()
    {
        var backend = Backends.Get("host");
        var config = new VaeConfig(30, [16], 3, Likelihood.Bernoulli, 1f);
        var options = new TrainingOptions(1, 32, 3e-3f, OptimizerKind.Adam, 5, 1f, 0);
        var model = new VaeModel(backend, config, options.BatchSize);
        model.Initialise(5);
        var train = SyntheticImages.Make(200, 30, seed: 1);
        var trainer = new Trainer(backend, model, new Adam(backend, model.Layout.Count, options.LearningRate), options, train, SyntheticImages.Make(50, 30, seed: 2), new TrainingState());
        trainer.TrainEpoch(CancellationToken.None);

        var rows = new EncoderGradientVariance(backend, model).Measure(train.Pixels(0, 32), gradientSamples: 200, seed: 3, EncoderEstimators.All);
        double Variance(GradientEstimator estimator, string tensor) => rows.Single(r => r.Estimator == estimator && r.Tensor == tensor).MeanVariance;
        foreach (var tensor in rows.Select(r => r.Tensor).Distinct())
        {
            Assert.That(Variance(GradientEstimator.Score, tensor), Is.GreaterThan(10 * Variance(GradientEstimator.Pathwise, tensor)), tensor);
            Assert.That(Variance(GradientEstimator.ScoreBaseline, tensor), Is.LessThan(Variance(GradientEstimator.Score, tensor)), tensor);
        }
        Assert.That(rows, Has.Count.EqualTo(4 * 4), "4 estimators x (2 encoder layers x weight, bias)");
    }
}
