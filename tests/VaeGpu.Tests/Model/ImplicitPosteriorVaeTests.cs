using VaeGpu.Host;
using VaeGpu.Host.Model;
using VaeGpu.Host.SafeTensors;
using VaeGpu.Host.Training;
using VaeGpu.Kernels;
using VaeGpu.Runtime;
using VaeGpu.Tests.Data;

namespace VaeGpu.Tests.Model;

/// <summary>
/// VAEs with Gamma and Dirichlet posteriors (implicit reparameterisation gradients) through the library and the
/// program: they train on every backend without NaN, save, load, export and score; the Gaussian model file keeps its
/// bytes; settings the posteriors cannot take are refused in one line.
/// </summary>
public class ImplicitPosteriorVaeTests : TemporaryFolderTests
{
    static readonly TrainingOptions Options = TrainingOptions.Default with { BatchSize = 32, LearningRate = 3e-3f, Seed = 5 };
    static readonly Host.Data.ImageSet Train = SyntheticImages.Make(160, 30, seed: 1), Test = SyntheticImages.Make(40, 30, seed: 2);

    static IEnumerable<TestCaseData> BackendsAndPosteriors() =>
        from backend in Backends.All
        from posterior in new[] { Posterior.Gamma, Posterior.Dirichlet }
        select new TestCaseData(backend, posterior);

    [TestCaseSource(nameof(BackendsAndPosteriors))]
    public void TrainsWithoutNaNAndTheTestLossFalls(string backendName, Posterior posterior)
    {
        var vae = Vae.Create(Backends.Get(backendName), new VaeConfig(30, [16], 3, Likelihood.Bernoulli, 1f, posterior), Options);
        var fit = vae.Fit(Train, Test, epochs: 3);
        Assert.That(fit.Epochs.All(e => double.IsFinite(e.TrainLoss) && double.IsFinite(e.TestLoss) && double.IsFinite(e.TestKl)), string.Join("; ", fit.Epochs));
        Assert.That(fit.Epochs[^1].TestLoss, Is.LessThan(fit.Epochs[0].TestLoss));
        double[] elbo = vae.Elbo(Test.Pixels(0, 8)), logLikelihood = vae.LogLikelihood(Test.Pixels(0, 8), draws: 16);
        Assert.That(elbo.Concat(logLikelihood).All(double.IsFinite));
        // log p(x) >= L_16 >= the ELBO in expectation: on 8 images the mean bound sits above the mean one-draw ELBO.
        Assert.That(logLikelihood.Average(), Is.GreaterThan(elbo.Average()));
    }

    /// <summary>The host path and the CPU accelerator draw the same Gammas: the same first step's loss to float rounding.</summary>
    [TestCase(Posterior.Gamma)]
    [TestCase(Posterior.Dirichlet)]
    public void TheFirstEpochIsTheSameOnTheHostAndTheCpuAccelerator(Posterior posterior)
    {
        var config = new VaeConfig(30, [16], 3, Likelihood.Bernoulli, 1f, posterior);
        var host = Vae.Create(Backends.Get("host"), config, Options).Fit(Train, Test, epochs: 1).Epochs[0];
        var cpu = Vae.Create(Backends.Get("cpu"), config, Options).Fit(Train, Test, epochs: 1).Epochs[0];
        Assert.That(cpu.TrainLoss, Is.EqualTo(host.TrainLoss).Within(1e-3 * Math.Abs(host.TrainLoss)));
        Assert.That(cpu.TestLoss, Is.EqualTo(host.TestLoss).Within(1e-3 * Math.Abs(host.TestLoss)));
    }

    [TestCase(Posterior.Gamma)]
    [TestCase(Posterior.Dirichlet)]
    public void SavedLoadedAndExportedModelsScoreTheSame(Posterior posterior)
    {
        var backend = Backends.Get("host");
        var vae = Vae.Create(backend, new VaeConfig(30, [16], 3, Likelihood.Bernoulli, 1f, posterior), Options);
        vae.Fit(Train, Test, epochs: 1);
        string native = Folder.File("model.safetensors");
        vae.Save(native);
        Assert.That(SafeTensorsFile.Read(native).Metadata["posterior"], Is.EqualTo(ModelVocabulary.Posteriors.Name(posterior)));
        var loaded = Vae.Load(backend, native);
        Assert.That(loaded.Config.Posterior, Is.EqualTo(posterior));
        Assert.That(loaded.Elbo(Test.Pixels(0, 8)), Is.EqualTo(vae.Elbo(Test.Pixels(0, 8))));

        var (exitCode, _, error) = VaegpuProcess.Run("export", "--model", native, "--format", "pytorch", "--out", Folder.File("pytorch.safetensors"));
        Assert.That(exitCode, Is.Zero, error);
        var exported = SafeTensorsFile.Read(Folder.File("pytorch.safetensors"));
        Assert.That(exported.Tensors.Any(t => t.Name == "fc22.weight"), Is.EqualTo(posterior == Posterior.Gamma), "a second head tensor for Gamma's rates alone");
        Assert.That(Vae.Load(backend, Folder.File("pytorch.safetensors")).Elbo(Test.Pixels(0, 8)), Is.EqualTo(vae.Elbo(Test.Pixels(0, 8))));

        float[] codes = vae.Encode(Test.Pixels(0, 4));
        Assert.That(codes.Length, Is.EqualTo(4 * vae.Config.HeadWidth));
        Assert.That(codes.All(value => value > 0), "shapes, rates and concentrations are positive");
        float[] samples = vae.Sample(6);
        Assert.That(samples.All(pixel => pixel is >= 0 and <= 1));
    }

    /// <summary>A run stopped after an epoch and resumed from its checkpoint ends with the uninterrupted run's numbers: the Gammas are counters' functions.</summary>
    [TestCase(Posterior.Gamma)]
    [TestCase(Posterior.Dirichlet)]
    public void AResumedRunEndsWithTheUninterruptedNumbers(Posterior posterior)
    {
        var backend = Backends.Get("host");
        var config = new VaeConfig(30, [16], 3, Likelihood.Bernoulli, 1f, posterior);
        var uninterrupted = Vae.Create(backend, config, Options).Fit(Train, Test, epochs: 2);
        using var stop = new CancellationTokenSource();
        var first = Vae.Create(backend, config, Options);
        first.Fit(Train, Test, epochs: 2, cancellation: stop.Token, epochCompleted: _ => stop.Cancel());
        first.SaveCheckpoint(Folder.File("checkpoint.safetensors"));
        var rest = Vae.LoadCheckpoint(backend, Folder.File("checkpoint.safetensors")).Fit(Train, Test, epochs: 1);
        Assert.That((rest.Epochs[0].TrainLoss, rest.Epochs[0].TestLoss), Is.EqualTo((uninterrupted.Epochs[1].TrainLoss, uninterrupted.Epochs[1].TestLoss)));
    }

    /// <summary>A Gaussian model's file has no "posterior" key, so its bytes are those of the files written before posteriors had a choice.</summary>
    [Test]
    public void AGaussianModelFileNamesNoPosterior()
    {
        var vae = Vae.Create(Backends.Get("host"), new VaeConfig(30, [16], 3, Likelihood.Bernoulli, 1f), Options);
        vae.Save(Folder.File("gaussian.safetensors"));
        Assert.That(SafeTensorsFile.Read(Folder.File("gaussian.safetensors")).Metadata.ContainsKey("posterior"), Is.False);
    }

    [TestCase("--objective", "iwae", "--objective iwae: Gamma and Dirichlet posteriors train the ELBO")]
    [TestCase("--estimator", "score", "--estimator score: the encoder gradient of Gamma and Dirichlet posteriors is the implicit path-wise one")]
    [TestCase("--estimator", "stl", "--estimator stl: the encoder gradient")]
    public void TrainRefusesSettingsTheGammaPosteriorCannotTake(string option, string value, string message)
    {
        string data = NpyWriter.UnsignedBytes(Folder.File("images.npy"), [100, 5, 6], SyntheticImages.Make(100, 30, seed: 3).Bytes), run = Folder.File("run");
        var (exitCode, _, error) = VaegpuProcess.Run("train", "--data", data, "--posterior", "gamma", option, value, "--device", "host", "--out", run);
        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(error, Does.Contain(message));
        Assert.That(Directory.Exists(run), Is.False);
    }

    [Test]
    public void EvalRefusesCoupledDrawsForAGammaModel()
    {
        var vae = Vae.Create(Backends.Get("host"), new VaeConfig(30, [16], 3, Likelihood.Bernoulli, 1f, Posterior.Gamma), Options);
        vae.Save(Folder.File("model.safetensors"));
        string data = NpyWriter.UnsignedBytes(Folder.File("images.npy"), [100, 5, 6], SyntheticImages.Make(100, 30, seed: 3).Bytes);
        var (exitCode, _, error) = VaegpuProcess.Run("eval", "--model", Folder.File("model.safetensors"), "--data", data, "--iw", "4", "--sampler", "rqmc", "--device", "host");
        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(error, Does.Contain("has a gamma posterior, whose draws are plain Monte Carlo; use --sampler mc."));
    }
}
