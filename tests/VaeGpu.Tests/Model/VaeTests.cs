using VaeGpu.Host;
using VaeGpu.Host.Model;
using VaeGpu.Host.Training;
using VaeGpu.Runtime.HostPath;
using VaeGpu.Tests.Data;

namespace VaeGpu.Tests.Model;

/// <summary>
/// The library's Vae as a C# program uses it: Fit trains and a run cancelled, checkpointed and resumed ends with the
/// numbers of an uninterrupted one; Save and Load round-trip through a Stream; Step trains; the scores order as
/// bounds do; bad arguments are ArgumentExceptions naming the parameter.
/// </summary>
public class VaeTests : TemporaryFolderTests
{
    static readonly VaeConfig Config = new(30, [16], 3, Likelihood.Bernoulli, 1f);
    static readonly TrainingOptions Options = TrainingOptions.Default with { BatchSize = 32, LearningRate = 3e-3f, Seed = 5 };
    static readonly Host.Data.ImageSet Train = SyntheticImages.Make(200, 30, seed: 1), Test = SyntheticImages.Make(50, 30, seed: 2);

    [Test]
    public void FitCancelledCheckpointedAndResumedEndsWithTheUninterruptedNumbers()
    {
        using var backend = new HostBackend();
        var uninterrupted = Vae.Create(backend, Config, Options).Fit(Train, Test, epochs: 3);
        Assert.That(uninterrupted.Epochs.Select(e => e.Epoch), Is.EqualTo(new[] { 1, 2, 3 }));
        Assert.That(uninterrupted.Epochs[^1].TestLoss, Is.LessThan(uninterrupted.Epochs[0].TestLoss));

        using var stop = new CancellationTokenSource();
        var first = Vae.Create(backend, Config, Options);
        var partial = first.Fit(Train, Test, epochs: 3, cancellation: stop.Token, epochCompleted: _ => stop.Cancel());
        Assert.That((partial.Cancelled, partial.Epochs.Count), Is.EqualTo((true, 1)));
        string checkpoint = Folder.File("checkpoint.safetensors");
        first.SaveCheckpoint(checkpoint);

        var resumed = Vae.LoadCheckpoint(backend, checkpoint);
        var rest = resumed.Fit(Train, Test, epochs: 2);
        Assert.That(rest.Epochs.Select(e => (e.Epoch, e.TrainLoss, e.TestLoss)), Is.EqualTo(uninterrupted.Epochs.Skip(1).Select(e => (e.Epoch, e.TrainLoss, e.TestLoss))));
        Assert.That(resumed.Optimizer.Steps, Is.EqualTo(3 * 7));
    }

    /// <summary>Vae.Fit is `vaegpu train`'s loop: the same data, options and seed give the same model file, byte for byte.</summary>
    [Test]
    public void FitGivesTheModelFileTrainWrites()
    {
        var images = SyntheticImages.Make(300, 64, seed: 4);
        string data = NpyWriter.UnsignedBytes(Folder.File("images.npy"), [300, 8, 8], images.Bytes), run = Folder.File("run");
        var (exitCode, _, error) = VaegpuProcess.Run("train", "--data", data, "--epochs", "2", "--hidden", "16", "--latent", "3", "--batch", "32",
            "--seed", "9", "--binarize", "dynamic", "--device", "host", "--out", run);
        Assert.That(exitCode, Is.Zero, error);

        using var backend = new HostBackend();
        var dataset = Host.Data.ImageDataset.Load(data);
        var options = TrainingOptions.Default with { BatchSize = 32, Seed = 9, Binarize = Binarization.Dynamic };
        var vae = Vae.Create(backend, new VaeConfig(64, [16], 3, Likelihood.Bernoulli, 0.1f), options);
        vae.Fit(dataset.Train, dataset.Test, epochs: 2);
        string saved = Folder.File("fit.safetensors");
        vae.Save(saved);
        Assert.That(File.ReadAllBytes(saved), Is.EqualTo(File.ReadAllBytes(Path.Combine(run, "model.safetensors"))));
    }

    [Test]
    public void InMemoryPixelsTrainAsAnImageSet()
    {
        using var backend = new HostBackend();
        var pixels = Train.Pixels();
        var images = Host.Data.ImageSet.FromPixels(pixels, Train.Count, 1, 30);
        var fromMemory = Vae.Create(backend, Config, Options).Fit(images, Test, epochs: 1);
        var fromBytes = Vae.Create(backend, Config, Options).Fit(Train, Test, epochs: 1);
        Assert.That(fromMemory.Epochs[0].TrainLoss, Is.EqualTo(fromBytes.Epochs[0].TrainLoss));
        Assert.That(() => Host.Data.ImageSet.FromPixels(pixels, Train.Count, 1, 31), Throws.ArgumentException.With.Property("ParamName").EqualTo("pixels"));
    }

    [Test]
    public void SaveAndLoadRoundTripThroughAStreamAndMatchTheFile()
    {
        using var backend = new HostBackend();
        var vae = Vae.Create(backend, Config, Options);
        vae.Fit(Train, Test, epochs: 1);
        using var stream = new MemoryStream();
        vae.Save(stream);
        string path = Folder.File("model.safetensors");
        vae.Save(path);
        Assert.That(stream.ToArray(), Is.EqualTo(File.ReadAllBytes(path)));

        stream.Position = 0;
        var loaded = Vae.Load(backend, stream);
        var images = Test.Pixels(0, 10);
        Assert.That(loaded.Encode(images), Is.EqualTo(vae.Encode(images)));
        Assert.That(loaded.LogLikelihood(images, draws: 10), Is.EqualTo(vae.LogLikelihood(images, draws: 10)));
    }

    [Test]
    public void StepTrainsAndTheScoresOrderAsBoundsDo()
    {
        using var backend = new HostBackend();
        var vae = Vae.Create(backend, Config, Options);
        var images = Train.Pixels(0, 32);
        double before = vae.Elbo(images).Average();
        for (int step = 0; step < 100; step++) vae.Step(images);
        Assert.That(vae.State.GlobalStep, Is.EqualTo(100));
        Assert.That(vae.Optimizer.Steps, Is.EqualTo(100));
        double elbo = vae.Elbo(images).Average(), logLikelihood = vae.LogLikelihood(images, draws: 200).Average();
        Assert.That(elbo, Is.GreaterThan(before));
        Assert.That(logLikelihood, Is.GreaterThan(elbo), "the importance-weighted bound with K = 200 is tighter than the ELBO");
        Assert.That(vae.Encode(images), Has.Length.EqualTo(32 * 2 * 3));
        Assert.That(vae.Sample(5), Has.Length.EqualTo(5 * 30).And.All.InRange(0f, 1f));
    }

    [Test]
    public void BadArgumentsAreArgumentExceptionsNamingTheParameter()
    {
        using var backend = new HostBackend();
        var vae = Vae.Create(backend, Config, Options);
        Assert.That(() => vae.Encode(new float[31]), Throws.InstanceOf<ArgumentException>().With.Property("ParamName").EqualTo("images"));
        Assert.That(() => vae.Decode(new float[4]), Throws.InstanceOf<ArgumentException>().With.Property("ParamName").EqualTo("latents"));
        Assert.That(() => vae.Step(new float[33 * 30]), Throws.InstanceOf<ArgumentException>().With.Property("ParamName").EqualTo("images"));
        Assert.That(() => vae.LogLikelihood(new float[30], draws: 0), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("draws"));
        Assert.That(() => vae.Fit(SyntheticImages.Make(10, 20, seed: 1), Test, epochs: 1), Throws.InstanceOf<ArgumentException>().With.Property("ParamName").EqualTo("train"));
        Assert.That(() => vae.Fit(Train, Test, epochs: 0), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("epochs"));
    }
}
