using System.Security.Cryptography;
using VaeGpu.Tests.Data;

namespace VaeGpu.Tests.Hardening;

/// <summary>
/// Single-file outputs into another command's folder (issue 23, cause 9): sample, export and the shards never replace
/// a training run's pictures or a results folder's files; they may add new files there.
/// </summary>
public class OtherCommandsFilesTests : TemporaryFolderTests
{
    [Test]
    public void SampleReplacesNeitherARunsPicturesNorAnotherCommandsResults()
    {
        string data = IdxWriter.WriteDataSet(Folder.File("data"), 256, 64, 8, 8);
        string run = Folder.File("run"), results = Folder.File("results");
        var (exitCode, _, error) = VaegpuProcess.Run("train", "--data", data, "--out", run, "--epochs", "1", "--hidden", "16", "--latent", "2", "--device", "host");
        Assert.That(exitCode, Is.Zero, error);
        (exitCode, _, error) = VaegpuProcess.Run("mc", "--samples", "1e4", "--max-samples", "1000", "--device", "host", "--out", results);
        Assert.That(exitCode, Is.Zero, error);
        string model = Path.Combine(run, "model.safetensors");
        var before = Digests();

        Assert.That(VaegpuProcess.RunExpectingUserError("sample", "--model", model, "--out", Path.Combine(run, "samples.png"), "--device", "host"),
            Does.Contain($"is a file the training run in {run} writes"));
        Assert.That(VaegpuProcess.RunExpectingUserError("sample", "--model", model, "--out", Path.Combine(results, "convergence.png"), "--device", "host"),
            Does.Contain("is a file of the results of `vaegpu mc`"));
        Assert.That(Digests(), Is.EqualTo(before), "every file as it was");

        // A new file beside them is the user's choice.
        (exitCode, _, error) = VaegpuProcess.Run("sample", "--model", model, "--out", Path.Combine(run, "more-samples.png"), "--device", "host");
        Assert.That(exitCode, Is.Zero, error);
    }

    Dictionary<string, string> Digests() => Directory.EnumerateFiles(Folder.Path, "*", SearchOption.AllDirectories)
        .ToDictionary(path => path, path => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path))));
}
