using VaeGpu.Host.SafeTensors;
using VaeGpu.Tests.Data;

namespace VaeGpu.Tests.Commands;

/// <summary>`vaegpu train --objective iwae` end to end: an interrupted run resumes to the uninterrupted run's bytes, and impossible combinations are refused.</summary>
public class IwaeCommandTests
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

    /// <summary>train with small-model defaults, each option given replacing its default.</summary>
    string[] Train(string run, params string[] overrides) => TrainArguments.With(new()
    {
        ["--data"] = data, ["--out"] = run, ["--hidden"] = "16", ["--latent"] = "2", ["--batch"] = "32", ["--device"] = "host", ["--lr"] = "0.01",
    }, overrides);

    [TestCase("pathwise", "mc")]
    [TestCase("dreg", "mc")]
    [TestCase("pathwise", "stratified")]
    [TestCase("pathwise", "rqmc")]
    public void AResumedRunEndsWithTheUninterruptedRunsBytes(string estimator, string sampler)
    {
        string whole = folder.File("whole"), resumed = folder.File("resumed");
        var (exitCode, _, error) = VaegpuProcess.Run(Train(whole, "--epochs", "2", "--objective", "iwae", "--k", "3", "--estimator", estimator, "--sampler", sampler));
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(error, Does.Contain("objective iwae K = 3"));
        (exitCode, _, error) = VaegpuProcess.Run(Train(resumed, "--epochs", "1", "--objective", "iwae", "--k", "3", "--estimator", estimator, "--sampler", sampler));
        Assert.That(exitCode, Is.Zero, error);
        (exitCode, _, error) = VaegpuProcess.Run("train", "--data", data, "--out", resumed, "--resume", "--epochs", "2", "--device", "host");
        Assert.That(exitCode, Is.Zero, error);

        Assert.That(File.ReadAllBytes(Path.Combine(resumed, "model.safetensors")), Is.EqualTo(File.ReadAllBytes(Path.Combine(whole, "model.safetensors"))));
        var checkpoint = SafeTensorsFile.Read(Path.Combine(resumed, "checkpoint.safetensors"));
        Assert.That((checkpoint.Metadata["objective"], checkpoint.Metadata["k"], checkpoint.Metadata["estimator"], checkpoint.Metadata["sampler"]),
            Is.EqualTo(("iwae", "3", estimator, sampler)));
    }

    /// <summary>The IWAE bound is at least the ELBO, so on the same data and seed after one epoch its test loss -L_K is the lower.</summary>
    [Test]
    public void TheImportanceWeightedTestLossIsBelowTheElbos()
    {
        double TestLoss(string run, params string[] more)
        {
            var (exitCode, _, error) = VaegpuProcess.Run(Train(run, ["--epochs", "1", .. more]));
            Assert.That(exitCode, Is.Zero, error);
            return double.Parse(File.ReadAllLines(Path.Combine(run, "metrics.csv"))[1].Split(',')[2], System.Globalization.CultureInfo.InvariantCulture);
        }
        double elbo = TestLoss(folder.File("elbo"));
        double iwae = TestLoss(folder.File("iwae"), "--objective", "iwae", "--k", "8");
        Assert.That(iwae, Is.LessThan(elbo));
    }

    /// <summary>variance vae over K on binarised test images: a row per K and estimator, and the SNR-against-K chart.</summary>
    [Test]
    public void VarianceOverKWritesTheTableAndTheSnrChart()
    {
        string run = folder.File("run"), output = folder.File("variance");
        var (exitCode, _, error) = VaegpuProcess.Run(Train(run, "--epochs", "1", "--objective", "iwae", "--k", "3", "--binarize", "dynamic"));
        Assert.That(exitCode, Is.Zero, error);
        string stdout;
        (exitCode, stdout, error) = VaegpuProcess.Run("variance", "vae", "--model", Path.Combine(run, "model.safetensors"), "--data", data, "--objective", "iwae",
            "--k", "1,3", "--binarize", "static", "--samples", "10", "--images", "16", "--json", "--out", output, "--device", "host");
        Assert.That(exitCode, Is.Zero, error);
        using var json = System.Text.Json.JsonDocument.Parse(stdout);
        Assert.That(json.RootElement.EnumerateObject().Select(p => p.Name),
            Is.EqualTo(new[] { "iwae1_pathwise", "iwae1_stl", "iwae1_dreg", "iwae3_pathwise", "iwae3_stl", "iwae3_dreg" }));
        Assert.That(File.Exists(Path.Combine(output, "variance-snr.png")) && File.Exists(Path.Combine(output, "variance.csv")));
        Assert.That(VaegpuProcess.RunExpectingUserError("variance", "vae", "--model", Path.Combine(run, "model.safetensors"), "--data", data,
            "--objective", "iwae", "--sampler", "stratified", "--estimators", "dreg", "--device", "host"), Does.Contain("independent draws"));
        Assert.That(VaegpuProcess.RunExpectingUserError("variance", "vae", "--model", Path.Combine(run, "model.safetensors"), "--data", data,
            "--k", "5", "--device", "host"), Does.Contain("add --objective iwae"));
    }

    [TestCase("--estimator dreg", "--objective iwae")]
    [TestCase("--objective iwae --estimator score", "pathwise, stl, dreg")]
    [TestCase("--objective iwae --estimator score_baseline", "pathwise, stl, dreg")]
    [TestCase("--k 5", "--objective iwae")]
    [TestCase("--objective iwae --k 0", "--k 0")]
    [TestCase("--objective iwae --k 100000", "--k 100000")]
    [TestCase("--objective iwae --beta 0.5", "--beta")]
    [TestCase("--objective iwae --kl-warmup 3", "--kl-warmup")]
    [TestCase("--sampler stratified", "--objective iwae")]
    [TestCase("--objective iwae --sampler stratified --estimator dreg", "independent draws")]
    [TestCase("--sampler rqmc", "--objective iwae")]
    [TestCase("--objective iwae --sampler rqmc --estimator stl", "independent draws")]
    [TestCase("--objective iwae --k 3 --sampler antithetic", "even --k")]
    [TestCase("--objective iwae --sampler rqmc --latent 1025", "holds 1024 dimensions")]
    [TestCase("--objective iwae --k 60000 --latent 20000", "60000 draws per image")]
    public void ImpossibleCombinationsAreOneLineErrorsAndWriteNothing(string options, string named)
    {
        string run = folder.File("refused");
        string message = VaegpuProcess.RunExpectingUserError(Train(run, options.Split(' ')));
        Assert.That(message, Does.Contain(named));
        Assert.That(Directory.Exists(run) && Directory.EnumerateFileSystemEntries(run).Any(), Is.False, "nothing written");
    }
}
