using System.Security.Cryptography;
using VaeGpu.Tests.Data;

namespace VaeGpu.Tests.Hardening;

/// <summary>
/// Outputs against inputs and run files (issue 23, cause 1): no command writes over its own input, over a run's model,
/// checkpoint or metrics, or over a file of another kind (another command's shard); each is refused with one line
/// before any work, and every file is left as it was. A command may still replace its own earlier output.
/// </summary>
public class RunFilesTests
{
    TemporaryFolder folder = null!;
    string data = null!, run = null!, model = null!, checkpoint = null!, metrics = null!;

    [SetUp]
    public void TrainARun()
    {
        folder = new TemporaryFolder();
        data = IdxWriter.WriteDataSet(folder.File("data"), 256, 64, 8, 8);
        run = folder.File("run");
        var (exitCode, _, error) = VaegpuProcess.Run("train", "--data", data, "--out", run, "--epochs", "1", "--hidden", "16", "--latent", "2", "--device", "host");
        Assert.That(exitCode, Is.Zero, error);
        (model, checkpoint, metrics) = (Path.Combine(run, "model.safetensors"), Path.Combine(run, "checkpoint.safetensors"), Path.Combine(run, "metrics.csv"));
    }

    [TearDown]
    public void RemoveFolder() => folder.Dispose();

    [Test]
    public void NoCommandWritesOverARunsFilesOrItsOwnInput()
    {
        string copy = folder.File("copy.safetensors");
        File.Copy(model, copy);
        var before = Digests();
        foreach (string runFile in new[] { model, checkpoint, metrics })
        {
            Assert.That(VaegpuProcess.RunExpectingUserError("sample", "--model", copy, "--out", runFile, "--device", "host"), Does.Contain(runFile));
            Assert.That(VaegpuProcess.RunExpectingUserError("export", "--model", copy, "--out", runFile), Does.Contain($"a file of the training run in {run}"));
            Assert.That(VaegpuProcess.RunExpectingUserError("eval", "--model", copy, "--data", data, "--shard", "0/2", "--out", runFile, "--device", "host"), Does.Contain(runFile));
            Assert.That(VaegpuProcess.RunExpectingUserError("variance", "gaussian", "--samples", "1000", "--shard", "0/2", "--out", runFile), Does.Contain(runFile));
        }
        Assert.That(VaegpuProcess.RunExpectingUserError("sample", "--model", copy, "--out", copy, "--device", "host"), Does.Contain("is the --model file the command reads"));
        Assert.That(VaegpuProcess.RunExpectingUserError("eval", "--model", copy, "--data", data, "--shard", "0/2", "--out", copy, "--device", "host"), Does.Contain("is the --model file"));
        string link = folder.File("link.safetensors");
        File.CreateSymbolicLink(link, copy);
        Assert.That(VaegpuProcess.RunExpectingUserError("export", "--model", link, "--out", copy), Does.Contain("is the --model file"));
        Assert.That(Digests(), Is.EqualTo(before), "every file as it was");
    }

    [Test]
    public void AShardIsNeverWrittenOverAFileOfAnotherKindButItsOwnIsRedone()
    {
        string evalShard = folder.File("eval.json"), varianceShard = folder.File("variance.json"), notes = folder.File("notes.txt");
        string[] Eval(string output) => ["eval", "--model", model, "--data", data, "--iw", "2", "--shard", "0/2", "--out", output, "--device", "host"];
        string[] Variance(string output) => ["variance", "gaussian", "--samples", "1000", "--shard", "0/2", "--out", output, "--device", "host"];
        foreach (var arguments in new[] { Eval(evalShard), Variance(varianceShard), Eval(evalShard), Variance(varianceShard) })
        {
            var (exitCode, _, error) = VaegpuProcess.Run(arguments);
            Assert.That(exitCode, Is.Zero, error);
        }
        File.WriteAllText(notes, "my own notes");
        var before = Digests();
        Assert.That(VaegpuProcess.RunExpectingUserError(Eval(varianceShard)), Does.Contain("already holds something other than an evaluation shard"));
        Assert.That(VaegpuProcess.RunExpectingUserError(Variance(evalShard)), Does.Contain("already holds something other than a variance shard"));
        Assert.That(VaegpuProcess.RunExpectingUserError("sample", "--model", model, "--out", notes, "--device", "host"), Does.Contain("other than a PNG picture"));
        Assert.That(VaegpuProcess.RunExpectingUserError("export", "--model", model, "--out", evalShard), Does.Contain("other than a model"));
        Assert.That(Digests(), Is.EqualTo(before), "every file as it was");
    }

    /// <summary>Each file under the test folder with the SHA-256 of its bytes.</summary>
    Dictionary<string, string> Digests() => Directory.EnumerateFiles(folder.Path, "*", SearchOption.AllDirectories)
        .Where(path => new FileInfo(path).LinkTarget is null)
        .ToDictionary(path => path, path => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path))));
}
