using System.Security.Cryptography;
using VaeGpu.Tests.Data;

namespace VaeGpu.Tests.Hardening;

/// <summary>
/// Data known by its content (issue 23, causes 3 and 8): a checkpoint and an evaluation shard record a SHA-256 of
/// the images they were made from; --resume and merge compare it, never the --data string, so other images under the
/// run's path are refused and the run's images under another spelling of their path are accepted.
/// </summary>
public class DataIdentityTests
{
    TemporaryFolder folder = null!;
    string data = null!;

    [SetUp]
    public void WriteData()
    {
        folder = new TemporaryFolder();
        data = IdxWriter.WriteDataSet(folder.File("data"), 256, 64, 8, 8);
    }

    [TearDown]
    public void RemoveFolder() => folder.Dispose();

    /// <summary>A copy of the data set with one train pixel changed: the same shape, other images.</summary>
    string OtherImages(string name)
    {
        string other = folder.File(name);
        Directory.CreateDirectory(other);
        foreach (string file in Directory.GetFiles(data)) File.Copy(file, Path.Combine(other, Path.GetFileName(file)));
        string train = Path.Combine(other, "train-images-idx3-ubyte");
        var bytes = File.ReadAllBytes(train);
        bytes[^1] ^= 0x40;
        File.WriteAllBytes(train, bytes);
        return other;
    }

    static (int ExitCode, string Output, string Error) RunIn(string workingDirectory, params string[] arguments) =>
        VaegpuProcess.RunProgram("dotnet", [Path.Combine(TestContext.CurrentContext.TestDirectory, "vaegpu.dll"), .. arguments], new Dictionary<string, string>(), workingDirectory);

    [Test]
    public void ResumeRefusesOtherImagesAndAcceptsTheRunsUnderAnotherPath()
    {
        string run = folder.File("run");
        var (exitCode, _, error) = VaegpuProcess.Run("train", "--data", data, "--out", run, "--epochs", "1", "--hidden", "16", "--latent", "2", "--device", "host");
        Assert.That(exitCode, Is.Zero, error);
        string checkpoint = Path.Combine(run, "checkpoint.safetensors"), metrics = Path.Combine(run, "metrics.csv");
        var before = (Hash(checkpoint), Hash(metrics));

        string other = OtherImages("other");
        Assert.That(VaegpuProcess.RunExpectingUserError("train", "--out", run, "--resume", "--epochs", "2", "--data", other, "--device", "host"),
            Does.Contain($"--data {other} is not the data the run in {run} was trained on"));
        // The run's own path, holding other images now.
        Directory.Move(data, folder.File("moved"));
        Directory.Move(other, data);
        Assert.That(VaegpuProcess.RunExpectingUserError("train", "--out", run, "--resume", "--epochs", "2", "--data", data, "--device", "host"),
            Does.Contain("is not the data the run"));
        Directory.Move(data, other);
        Directory.Move(folder.File("moved"), data);
        // Another data set of the same image size.
        string larger = IdxWriter.WriteDataSet(folder.File("larger"), 320, 64, 8, 8);
        Assert.That(VaegpuProcess.RunExpectingUserError("train", "--out", run, "--resume", "--epochs", "2", "--data", larger, "--device", "host"),
            Does.Contain("is not the data the run"));
        Assert.That((Hash(checkpoint), Hash(metrics)), Is.EqualTo(before), "the run as it was");

        // The run's own images, named relative to another folder and with a trailing slash.
        (exitCode, _, error) = RunIn(folder.Path, "train", "--out", run, "--resume", "--epochs", "2", "--data", "./data/", "--device", "host");
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(File.ReadAllLines(metrics), Has.Length.EqualTo(3));
    }

    static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
}
