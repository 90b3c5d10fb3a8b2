using VaeGpu.Host;
using VaeGpu.Host.Model;
using VaeGpu.Host.SafeTensors;
using VaeGpu.Host.Training;
using VaeGpu.Kernels;
using VaeGpu.Tests.Data;

namespace VaeGpu.Tests.Model;

/// <summary>
/// VAEs with tanh hidden layers (`--activation tanh`) through the library and the program: they train on every
/// backend, and the activation survives the model file, the PyTorch export, the checkpoint and resume; a ReLU model's
/// file has no "activation" key, so its bytes are those written before the choice existed.
/// </summary>
public class ActivationVaeTests : TemporaryFolderTests
{
    static readonly TrainingOptions Options = TrainingOptions.Default with { BatchSize = 32, LearningRate = 3e-3f, Seed = 5 };
    static readonly Host.Data.ImageSet Train = SyntheticImages.Make(160, 30, seed: 1), Test = SyntheticImages.Make(40, 30, seed: 2);
    static readonly VaeConfig Tanh = new(30, [16, 12], 3, Likelihood.Bernoulli, 1f, Activation: Activation.Tanh);

    [TestCaseSource(typeof(Backends), nameof(Backends.All))]
    public void ATanhModelTrainsAndTheTestLossFalls(string backendName)
    {
        var fit = Vae.Create(Backends.Get(backendName), Tanh, Options).Fit(Train, Test, epochs: 3);
        Assert.That(fit.Epochs.All(e => double.IsFinite(e.TrainLoss) && double.IsFinite(e.TestLoss)), string.Join("; ", fit.Epochs));
        Assert.That(fit.Epochs[^1].TestLoss, Is.LessThan(fit.Epochs[0].TestLoss));
    }

    /// <summary>The two activations are different models from the same seed: the choice reaches the layers.</summary>
    [Test]
    public void TanhAndReluGiveDifferentLosses()
    {
        var backend = Backends.Get("host");
        double tanh = Vae.Create(backend, Tanh, Options).Fit(Train, Test, epochs: 1).Epochs[0].TestLoss;
        double relu = Vae.Create(backend, Tanh with { Activation = Activation.Relu }, Options).Fit(Train, Test, epochs: 1).Epochs[0].TestLoss;
        Assert.That(tanh, Is.Not.EqualTo(relu));
    }

    [Test]
    public void SavedLoadedAndExportedTanhModelsScoreTheSame()
    {
        var backend = Backends.Get("host");
        var vae = Vae.Create(backend, Tanh, Options);
        vae.Fit(Train, Test, epochs: 1);
        string native = Folder.File("model.safetensors");
        vae.Save(native);
        Assert.That(SafeTensorsFile.Read(native).Metadata["activation"], Is.EqualTo("tanh"));
        var loaded = Vae.Load(backend, native);
        Assert.That(loaded.Config.Activation, Is.EqualTo(Activation.Tanh));
        Assert.That(loaded.Elbo(Test.Pixels(0, 8)), Is.EqualTo(vae.Elbo(Test.Pixels(0, 8))));

        var (exitCode, _, error) = VaegpuProcess.Run("export", "--model", native, "--format", "pytorch", "--out", Folder.File("pytorch.safetensors"));
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(SafeTensorsFile.Read(Folder.File("pytorch.safetensors")).Metadata["activation"], Is.EqualTo("tanh"));
        var imported = Vae.Load(backend, Folder.File("pytorch.safetensors"));
        Assert.That(imported.Config.Activation, Is.EqualTo(Activation.Tanh));
        Assert.That(imported.Elbo(Test.Pixels(0, 8)), Is.EqualTo(vae.Elbo(Test.Pixels(0, 8))));
    }

    /// <summary>A run stopped after an epoch and resumed from its checkpoint is still a tanh model and ends with the uninterrupted numbers.</summary>
    [Test]
    public void AResumedTanhRunEndsWithTheUninterruptedNumbers()
    {
        var backend = Backends.Get("host");
        var uninterrupted = Vae.Create(backend, Tanh, Options).Fit(Train, Test, epochs: 2);
        using var stop = new CancellationTokenSource();
        var first = Vae.Create(backend, Tanh, Options);
        first.Fit(Train, Test, epochs: 2, cancellation: stop.Token, epochCompleted: _ => stop.Cancel());
        first.SaveCheckpoint(Folder.File("checkpoint.safetensors"));
        var resumed = Vae.LoadCheckpoint(backend, Folder.File("checkpoint.safetensors"));
        Assert.That(resumed.Config.Activation, Is.EqualTo(Activation.Tanh));
        var rest = resumed.Fit(Train, Test, epochs: 1);
        Assert.That((rest.Epochs[0].TrainLoss, rest.Epochs[0].TestLoss), Is.EqualTo((uninterrupted.Epochs[1].TrainLoss, uninterrupted.Epochs[1].TestLoss)));
    }

    [Test]
    public void AReluModelFileNamesNoActivation()
    {
        var vae = Vae.Create(Backends.Get("host"), Tanh with { Activation = Activation.Relu }, Options);
        vae.Save(Folder.File("relu.safetensors"));
        Assert.That(SafeTensorsFile.Read(Folder.File("relu.safetensors")).Metadata.ContainsKey("activation"), Is.False);
    }

    [Test]
    public void AnUnknownActivationInAModelFileIsAOneLineError()
    {
        var metadata = new Dictionary<string, string>(Tanh.ToMetadata()) { ["activation"] = "sigmoid" };
        var error = Assert.Throws<Runtime.UserErrorException>(() => VaeConfig.FromMetadata(metadata, "model.safetensors"))!;
        Assert.That(error.Message, Is.EqualTo("model.safetensors: metadata 'activation' is 'sigmoid', expected relu or tanh."));
    }

    /// <summary>The program: `train --activation tanh` says so in its model line, writes it into the model, and resume keeps it.</summary>
    [Test]
    public void TrainWithTanhSaysSoWritesItAndResumeKeepsIt()
    {
        string data = NpyWriter.UnsignedBytes(Folder.File("images.npy"), [100, 5, 6], SyntheticImages.Make(100, 30, seed: 3).Bytes), run = Folder.File("run");
        var (exitCode, _, error) = VaegpuProcess.Run("train", "--data", data, "--activation", "tanh", "--hidden", "16", "--latent", "2", "--epochs", "1", "--device", "host", "--out", run);
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(error, Does.Contain("model 30-16-2 bernoulli, tanh hidden layers,"));
        (exitCode, _, error) = VaegpuProcess.Run("train", "--data", data, "--out", run, "--resume", "--epochs", "2", "--device", "host");
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(error, Does.Contain("tanh hidden layers"));
        Assert.That(SafeTensorsFile.Read(Path.Combine(run, "model.safetensors")).Metadata["activation"], Is.EqualTo("tanh"));
    }
}
