using VaeGpu.Tests.Data;

namespace VaeGpu.Tests.Hardening;

/// <summary>
/// A new run's folder (issue 23, cause 7 and the minor one): `train --out` into a folder of the user's own files is
/// refused, leaving them as they were; an empty folder is fine; a run that diverges before its first checkpoint does
/// not speak of one.
/// </summary>
public class NewRunFolderTests
{
    TemporaryFolder folder = null!;
    string data = null!;

    [SetUp]
    public void CreateDataSet()
    {
        folder = new TemporaryFolder();
        var random = new Random(7);
        data = NpyWriter.Floats(folder.File("images.npy"), [256, 8, 8], Enumerable.Range(0, 256 * 64).Select(_ => random.NextSingle()).ToArray());
    }

    [TearDown]
    public void RemoveFolder() => folder.Dispose();

    string[] Train(string run, params string[] more) => ["train", "--data", data, "--out", run, "--epochs", "1", "--hidden", "16", "--latent", "2", "--device", "host", .. more];

    [Test]
    public void TrainIntoAFolderOfOtherFilesIsRefusedAndLeavesThemAsTheyWere()
    {
        string mine = Directory.CreateDirectory(folder.File("mine")).FullName;
        File.WriteAllText(Path.Combine(mine, "samples.png"), "my picture");
        File.WriteAllText(Path.Combine(mine, "metrics.csv"), "my numbers");
        Assert.That(VaegpuProcess.RunExpectingUserError(Train(mine)), Does.Contain("holds other files (metrics.csv, samples.png) and no run"));
        Assert.That(Directory.EnumerateFileSystemEntries(mine).Select(Path.GetFileName).Order(), Is.EqualTo(new[] { "metrics.csv", "samples.png" }));
        Assert.That(File.ReadAllText(Path.Combine(mine, "samples.png")), Is.EqualTo("my picture"));

        string empty = Directory.CreateDirectory(folder.File("empty")).FullName;
        var (exitCode, _, error) = VaegpuProcess.Run(Train(empty));
        Assert.That(exitCode, Is.Zero, error);
    }

    [Test]
    public void ADivergenceInTheFirstEpochSpeaksOfNoCheckpoint()
    {
        string run = folder.File("run");
        var (exitCode, _, output) = VaegpuProcess.Run(Train(run, "--optimizer", "sgd", "--lr", "1000"));
        Assert.That(exitCode, Is.EqualTo(2), output);
        string error = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        Assert.That(error, Does.StartWith("vaegpu: error: ").And.Contain("training diverged at epoch 1").And.Contain("no checkpoint had been saved yet; start again with a lower --lr."));
        Assert.That(error, Does.Not.Contain("after epoch 0"));
        Assert.That(Directory.Exists(run), Is.False, "the folder it created is taken back");
    }
}
