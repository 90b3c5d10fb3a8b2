using VaeGpu.Host.Data;
using VaeGpu.Host.Evaluation;
using VaeGpu.Host.Model;
using VaeGpu.Host.Training;

namespace VaeGpu.Tests.Model;

/// <summary>On real data: a short run on a Fashion-MNIST subset lowers the test loss, and IWAE is at least the ELBO.</summary>
public class FashionMnistTrainingTests
{
    [Test]
    public void AShortRunOnARealSubsetLowersTheTestLoss()
    {
        if (!Directory.Exists(ImageDataset.FashionMnistFolder))
            Assert.Ignore($"Fashion-MNIST is not installed ({ImageDataset.FashionMnistFolder}); apt-get install dataset-fashion-mnist");
        var full = ImageDataset.Load(ImageDataset.FashionMnistName);
        ImageSet Subset(ImageSet set, int count) => set with { Bytes = set.Bytes[..(count * set.PixelsPerImage)], Count = count, Labels = null };
        var (train, test) = (Subset(full.Train, 4000), Subset(full.Test, 500));
        var backend = Backends.Get("host");
        var options = new TrainingOptions(2, 128, 1e-3f, OptimizerKind.Adam, Seed: 1, Beta: 1, KlWarmupEpochs: 0);
        var model = new VaeModel(backend, new VaeConfig(784, [200], 10, Likelihood.Bernoulli, 1f), 128);
        model.Initialise(1);
        var trainer = new Trainer(backend, model, new Adam(backend, model.Layout.Count, options.LearningRate), options, train, test, new TrainingState());

        double before = trainer.TestLoss(0).Loss;
        trainer.TrainEpoch(CancellationToken.None);
        trainer.TrainEpoch(CancellationToken.None);
        double after = trainer.TestLoss(2).Loss;
        var evaluation = new Evaluator(backend, model).Evaluate(test.Pixels(0, 200), importanceSamples: 50, seed: 1);

        Assert.That(after, Is.LessThan(before - 100), $"{before:F1} -> {after:F1} nats");
        Assert.That(evaluation.LogLikelihood, Is.GreaterThan(-evaluation.NegativeElbo));
    }
}
