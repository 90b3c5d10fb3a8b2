using VaeGpu.Host.Data;
using VaeGpu.Host.Evaluation;
using VaeGpu.Host.Model;
using VaeGpu.Host.Training;
using VaeGpu.Runtime;

namespace VaeGpu.Tests.Model;

public class TrainerTests
{
    const int Pixels = 30;
    static readonly VaeConfig Config = new(Pixels, [16], 3, Likelihood.Bernoulli, 1f);
    static readonly TrainingOptions Options = new(Epochs: 3, BatchSize: 32, LearningRate: 3e-3f, OptimizerKind.Adam, Seed: 5, Beta: 1f, KlWarmupEpochs: 0);
    static readonly ImageSet Train = SyntheticImages.Make(200, Pixels, seed: 1); // 7 steps per epoch, the last one short
    static readonly ImageSet Test = SyntheticImages.Make(50, Pixels, seed: 2);

    static (Trainer Trainer, VaeModel Model, Adam Adam) Create(IBackend backend, VaeConfig config, TrainingOptions options, TrainingState? state = null)
    {
        var model = new VaeModel(backend, config, options.BatchSize);
        model.Initialise(options.Seed);
        var adam = new Adam(backend, model.Layout.Count, options.LearningRate);
        return (new Trainer(backend, model, adam, options, Train, Test, state ?? new TrainingState()), model, adam);
    }

    static List<(double Train, double Test)> Run(Trainer trainer, int epochs)
    {
        var losses = new List<(double, double)>();
        for (int epoch = 1; epoch <= epochs; epoch++)
            losses.Add((trainer.TrainEpoch(CancellationToken.None)!.Value.Loss, trainer.TestLoss(epoch).Loss));
        return losses;
    }

    [TestCase(Likelihood.Bernoulli)]
    [TestCase(Likelihood.Gaussian)]
    public void TrainingLowersTheTestLoss(Likelihood likelihood)
    {
        var (trainer, _, _) = Create(Backends.Get("host"), Config with { Likelihood = likelihood, SigmaX = 0.3f }, Options);
        double before = trainer.TestLoss(0).Loss;
        var losses = Run(trainer, 3);
        Assert.That(losses[^1].Test, Is.LessThan(before - 1), string.Join(", ", losses));
    }

    /// <summary>Same seed, same numbers: the host path and the CPU accelerator agree to float rounding (1e-4 relative).</summary>
    [Test]
    public void HostAndCpuAcceleratorGiveTheSameLosses()
    {
        var host = Run(Create(Backends.Get("host"), Config, Options).Trainer, 2);
        var cpu = Run(Create(Backends.Get("cpu"), Config, Options).Trainer, 2);
        for (int i = 0; i < host.Count; i++)
        {
            Assert.That(cpu[i].Train, Is.EqualTo(host[i].Train).Within(1e-4 * host[i].Train), $"train loss, epoch {i + 1}");
            Assert.That(cpu[i].Test, Is.EqualTo(host[i].Test).Within(1e-4 * host[i].Test), $"test loss, epoch {i + 1}");
        }
    }

    [Test]
    public void TheSameSeedRepeatsTheSameBits()
    {
        var first = Run(Create(Backends.Get("host"), Config, Options).Trainer, 2);
        var second = Run(Create(Backends.Get("host"), Config, Options).Trainer, 2);
        Assert.That(second, Is.EqualTo(first));
    }

    /// <summary>
    /// Stopping mid-epoch and continuing from the saved state (parameters, moments, running sums, counters) in a new
    /// model and trainer ends with exactly the numbers of a run that never stopped.
    /// </summary>
    [Test]
    public void AnInterruptedRunResumesToTheSameNumbers()
    {
        var backend = Backends.Get("host");
        var uninterrupted = Run(Create(backend, Config, Options).Trainer, 2);

        var (interrupted, interruptedModel, interruptedAdam) = Create(backend, Config, Options);
        interrupted.TrainEpoch(CancellationToken.None);
        Assert.That(interrupted.TrainEpoch(CancellationToken.None, maxSteps: 4), Is.Null);
        Assert.That(interrupted.State.StepInEpoch, Is.EqualTo(4));

        var state = new TrainingState
        {
            EpochsCompleted = interrupted.State.EpochsCompleted, StepInEpoch = interrupted.State.StepInEpoch,
            GlobalStep = interrupted.State.GlobalStep,
        };
        var (resumed, resumedModel, resumedAdam) = Create(backend, Config, Options, state);
        resumedAdam.Steps = interruptedAdam.Steps;
        foreach (var (from, to) in new[] { (interruptedModel.Parameters, resumedModel.Parameters), (interruptedAdam.FirstMoments, resumedAdam.FirstMoments),
                     (interruptedAdam.SecondMoments, resumedAdam.SecondMoments), (interruptedModel.RunningSums, resumedModel.RunningSums) })
            backend.Upload(backend.Download(from), to);

        double resumedTrain = resumed.TrainEpoch(CancellationToken.None)!.Value.Loss;
        Assert.That((resumedTrain, resumed.TestLoss(2).Loss), Is.EqualTo(uninterrupted[1]));
    }

    /// <summary>
    /// The GPU budget, from the launch log of one training step of the canonical model at batch 128 with dynamic
    /// binarisation, on the backends that run kernels: at most 16 launches (plus the epoch's one fill of the running
    /// sums with zeros), the likelihood in a group per row, nothing read back, and the epoch's order the only upload.
    /// The products' group counts on a GPU (split-K, which PoCL cannot build) are RegisterBlockedMatMulTests' plan test.
    /// </summary>
    [TestCaseSource(typeof(Backends), nameof(Backends.Kernels))]
    public void ACanonicalTrainingStepIssuesAtMostSixteenLaunches(string backendName)
    {
        var backend = Backends.Get(backendName);
        var config = CanonicalVae.Config;
        var options = Options with { BatchSize = 128, Binarize = Binarization.Dynamic };
        var model = new VaeModel(backend, config, 128);
        model.Initialise(1);
        var images = new ImageSet(new byte[256 * 784], 256, 28, 28, Labels: null); // two steps, so the one we take is mid-epoch
        var trainer = new Trainer(backend, model, new Adam(backend, model.Layout.Count, options.LearningRate), options, images, images, new TrainingState());
        backend.Synchronize();
        backend.Counters.Reset();
        backend.Counters.LogLaunches = true;

        Assert.That(trainer.TrainEpoch(CancellationToken.None, maxSteps: 1), Is.Null);

        backend.Counters.LogLaunches = false;
        var log = backend.Counters.LaunchLog;
        Assert.That(backend.Counters.KernelLaunches, Is.LessThanOrEqualTo(16 + 1), string.Join(", ", log.Select(launch => launch.Operation)));
        Assert.That(log.Count(launch => launch.Operation == "Fill"), Is.EqualTo(1), "the epoch's zeroing of the running sums");
        Assert.That(log.Single(launch => launch.Operation == "Bernoulli").Groups, Is.GreaterThanOrEqualTo(128), "a group per row");
        Assert.That(log.Count(launch => launch.Operation == "GatherRowsBinarized"), Is.EqualTo(1));
        Assert.That(log.Select(launch => launch.Operation), Has.None.EqualTo("SumColumns").And.None.EqualTo("Binarize"));
        Assert.That(backend.Counters.BytesFromDevice, Is.Zero, "no read-back inside a step");
        Assert.That(backend.Counters.BytesToDevice, Is.EqualTo(256 * 4), "the epoch's order only");
    }

    [Test]
    public void ImportanceWeightedEstimateIsAtLeastTheElbo()
    {
        var backend = Backends.Get("host");
        var (trainer, model, _) = Create(backend, Config, Options);
        Run(trainer, 2);
        var result = new Evaluator(backend, model).Evaluate(Test.Pixels(), importanceSamples: 64, seed: 7);
        Assert.That(result.LogLikelihood, Is.GreaterThan(-result.NegativeElbo));
        Assert.That(result.LogLikelihood, Is.LessThan(0), "log p(x) of continuous-valued pixels under Bernoulli is negative");
    }
}
