using VaeGpu.Host.SafeTensors;
using VaeGpu.Tests.Data;

namespace VaeGpu.Tests.Commands;

/// <summary>
/// `vaegpu train --objective miwae|ciwae|piwae|renyi|rws` and `--estimator vimco` end to end: a resumed run ends with
/// the uninterrupted run's bytes, the new settings reach the checkpoint, and impossible combinations are refused.
/// </summary>
public class BoundObjectiveCommandTests
{
    TemporaryFolder folder = null!;
    string data = null!;

    [SetUp]
    public void CreateDataSet()
    {
        folder = new TemporaryFolder();
        data = IdxWriter.WriteDataSet(folder.File("data"), 96, 32, 8, 8);
    }

    [TearDown]
    public void RemoveFolder() => folder.Dispose();

    string[] Train(string run, params string[] overrides) => TrainArguments.With(new()
    {
        ["--data"] = data, ["--out"] = run, ["--hidden"] = "16", ["--latent"] = "2", ["--batch"] = "32", ["--device"] = "host", ["--lr"] = "0.01",
    }, overrides);

    [TestCase("--objective miwae --k 4 --groups 2", "objective miwae K = 4 in 2 groups", "groups", "2")]
    [TestCase("--objective ciwae --k 3 --elbo-weight 0.5", "objective ciwae K = 3, ELBO weight 0.5", "elbo_weight", "0.5")]
    [TestCase("--objective piwae --k 4 --groups 2", "objective piwae K = 4 in 2 groups", "groups", "2")]
    [TestCase("--objective renyi --k 3 --alpha 0.5", "objective renyi K = 3, alpha 0.5", "alpha", "0.5")]
    [TestCase("--objective rws --k 3", "encoder gradient wake", "estimator", "wake")]
    [TestCase("--objective iwae --k 3 --estimator vimco", "encoder gradient vimco", "estimator", "vimco")]
    public void AResumedRunEndsWithTheUninterruptedRunsBytes(string options, string announced, string key, string value)
    {
        string whole = folder.File("whole"), resumed = folder.File("resumed");
        var (exitCode, _, error) = VaegpuProcess.Run(Train(whole, ["--epochs", "2", .. options.Split(' ')]));
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(error, Does.Contain(announced));
        (exitCode, _, error) = VaegpuProcess.Run(Train(resumed, ["--epochs", "1", .. options.Split(' ')]));
        Assert.That(exitCode, Is.Zero, error);
        (exitCode, _, error) = VaegpuProcess.Run("train", "--data", data, "--out", resumed, "--resume", "--epochs", "2", "--device", "host");
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(File.ReadAllBytes(Path.Combine(resumed, "model.safetensors")), Is.EqualTo(File.ReadAllBytes(Path.Combine(whole, "model.safetensors"))));
        Assert.That(SafeTensorsFile.Read(Path.Combine(resumed, "checkpoint.safetensors")).Metadata[key], Is.EqualTo(value));
    }

    [TestCase("--objective miwae --k 10 --groups 3", "the groups must divide the draws per image")]
    [TestCase("--objective piwae --k 8 --groups 0", "the groups must divide")]
    [TestCase("--objective iwae --k 8 --groups 2", "groups of draws are MIWAE's and PIWAE's")]
    [TestCase("--objective ciwae --elbo-weight 2", "CIWAE's ELBO weight must be 0 to 1")]
    [TestCase("--objective iwae --elbo-weight 0.5", "the ELBO weight is CIWAE's")]
    [TestCase("--objective renyi --alpha 1.5", "train with alpha in [0, 1)")]
    [TestCase("--objective renyi --alpha -0.5", "train with alpha in [0, 1)")]
    [TestCase("--objective renyi --alpha NaN", "train with alpha in [0, 1)")]
    [TestCase("--objective iwae --alpha 0.5", "alpha is the Rényi bound's")]
    [TestCase("--objective iwae --k 1 --estimator vimco", "VIMCO's leave-one-out baselines need at least 2 draws")]
    [TestCase("--objective miwae --k 4 --groups 2 --estimator vimco", "--objective iwae")]
    [TestCase("--estimator vimco", "--objective iwae")]
    [TestCase("--estimator wake", "--objective rws")]
    [TestCase("--objective rws --estimator pathwise", "use wake")]
    [TestCase("--objective miwae --k 4 --groups 2 --estimator stl", "use pathwise")]
    [TestCase("--objective miwae --k 4 --groups 2 --estimator dreg", "use --objective iwae")]
    [TestCase("--objective miwae --k 4 --groups 2 --sampler rqmc", "it needs --objective iwae")]
    [TestCase("--objective ciwae --k 4 --beta 0.5", "--beta")]
    public void ImpossibleCombinationsAreOneLineErrorsAndWriteNothing(string options, string named)
    {
        string run = folder.File("refused");
        string message = VaegpuProcess.RunExpectingUserError(Train(run, options.Split(' ')));
        Assert.That(message, Does.Contain(named));
        Assert.That(Directory.Exists(run) && Directory.EnumerateFileSystemEntries(run).Any(), Is.False, "nothing written");
    }

    /// <summary>variance vae under PIWAE over K: a row per K, the SNR chart, and VIMCO refused at K = 1 where named.</summary>
    [Test]
    public void VarianceVaeMeasuresTheNewBoundsOverK()
    {
        string run = folder.File("run"), output = folder.File("variance");
        var (exitCode, _, error) = VaegpuProcess.Run(Train(run, "--epochs", "1"));
        Assert.That(exitCode, Is.Zero, error);
        string stdout;
        (exitCode, stdout, error) = VaegpuProcess.Run("variance", "vae", "--model", Path.Combine(run, "model.safetensors"), "--data", data, "--objective", "piwae",
            "--k", "2,4", "--groups", "2", "--samples", "5", "--images", "8", "--json", "--out", output, "--device", "host");
        Assert.That(exitCode, Is.Zero, error);
        using var json = System.Text.Json.JsonDocument.Parse(stdout);
        Assert.That(json.RootElement.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "piwae2_pathwise", "piwae4_pathwise" }));
        Assert.That(File.Exists(Path.Combine(output, "variance-snr.png")));
        Assert.That(VaegpuProcess.RunExpectingUserError("variance", "vae", "--model", Path.Combine(run, "model.safetensors"), "--data", data,
            "--objective", "iwae", "--k", "1,4", "--estimators", "vimco", "--device", "host"), Does.Contain("at least 2 draws per image"));
    }
}
