using System.Security.Cryptography;
using System.Text.Json.Nodes;
using VaeGpu.Host.Files;
using VaeGpu.Host.Evaluation;
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

    /// <summary>A copy of the data set with one train and one test pixel changed: the same shape, other images.</summary>
    string OtherImages(string name)
    {
        string other = folder.File(name);
        Directory.CreateDirectory(other);
        foreach (string file in Directory.GetFiles(data)) File.Copy(file, Path.Combine(other, Path.GetFileName(file)));
        foreach (string images in new[] { "train-images-idx3-ubyte", "t10k-images-idx3-ubyte" })
        {
            var bytes = File.ReadAllBytes(Path.Combine(other, images));
            bytes[^1] ^= 0x40;
            File.WriteAllBytes(Path.Combine(other, images), bytes);
        }
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
            Does.Contain($"--data {other}: it is not the data the run in {run} was trained on"));
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

    [Test]
    public void MergeKnowsTheTestImagesByContentAndRefusesEditedShards()
    {
        string run = folder.File("run");
        var (exitCode, _, error) = VaegpuProcess.Run("train", "--data", data, "--out", run, "--epochs", "1", "--hidden", "16", "--latent", "2", "--device", "host");
        Assert.That(exitCode, Is.Zero, error);
        string model = Path.Combine(run, "model.safetensors");
        string[] Eval(string dataPath, params string[] more) => ["eval", "--model", model, "--data", dataPath, "--iw", "4", "--batch", "16", "--device", "host", .. more];
        string s0 = folder.File("s0.json"), s1 = folder.File("s1.json"), other1 = folder.File("other1.json");

        string whole;
        (exitCode, whole, error) = VaegpuProcess.Run(Eval(data));
        Assert.That(exitCode, Is.Zero, error);
        (exitCode, _, error) = VaegpuProcess.Run(Eval(data, "--shard", "0/2", "--out", s0));
        Assert.That(exitCode, Is.Zero, error);
        // The same images named relative to another folder, with a trailing slash: one run.
        (exitCode, _, error) = RunIn(folder.Path, Eval("data/", "--shard", "1/2", "--out", s1));
        Assert.That(exitCode, Is.Zero, error);
        string merged;
        (exitCode, merged, error) = VaegpuProcess.Run("merge", s0, s1);
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(merged, Is.EqualTo(whole), "the same line as the whole evaluation");

        // Other test images under the run's own path.
        string other = OtherImages("other");
        Directory.Move(data, folder.File("moved"));
        Directory.Move(other, data);
        (exitCode, _, error) = VaegpuProcess.Run(Eval(data, "--shard", "1/2", "--out", other1));
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(VaegpuProcess.RunExpectingUserError("merge", s0, other1), Does.Contain($"merge: {other1} scored other test images than {s0} (their SHA-256 differ)"));

        // A score edited by hand, and a field renamed.
        var root = JsonNode.Parse(File.ReadAllText(s1))!.AsObject();
        root["negative_elbo"]![0] = root["negative_elbo"]![0]!.GetValue<double>() + 1;
        File.WriteAllText(s1, root.ToJsonString());
        Assert.That(VaegpuProcess.RunExpectingUserError("merge", s0, s1), Does.Contain($"{s1}: cannot read the evaluation shard: its contents do not match its sha256"));
    }

    [Test]
    public void MergeRefusesAnEditedVarianceShard()
    {
        string s0 = folder.File("v0.json"), s1 = folder.File("v1.json");
        foreach (var (path, index) in new[] { (s0, 0), (s1, 1) })
        {
            var (exitCode, _, error) = VaegpuProcess.Run("variance", "gaussian", "--shard", $"{index}/2", "--samples", "100000", "--out", path, "--device", "host");
            Assert.That(exitCode, Is.Zero, error);
        }
        Assert.That(VaegpuProcess.Run("merge", s0, s1).ExitCode, Is.Zero);
        var root = JsonNode.Parse(File.ReadAllText(s1))!.AsObject();
        var mean = root["estimators"]!["score"]!["mu"]!["mean"]!;
        root["estimators"]!["score"]!["mu"]!["mean"] = mean.GetValue<double>() * 2;
        File.WriteAllText(s1, root.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        Assert.That(VaegpuProcess.RunExpectingUserError("merge", s0, s1), Does.Contain($"{s1}: cannot read the shard file: its contents do not match its sha256"));
    }

    /// <summary>A checkpoint from before data digests resumes with a warning, and records the digest from then on.</summary>
    [Test]
    public void ACheckpointWithoutADataDigestResumesWithAWarningAndRecordsIt()
    {
        string run = folder.File("run");
        var (exitCode, _, error) = VaegpuProcess.Run("train", "--data", data, "--out", run, "--epochs", "1", "--hidden", "16", "--latent", "2", "--device", "host");
        Assert.That(exitCode, Is.Zero, error);
        string checkpoint = Path.Combine(run, "checkpoint.safetensors");
        using (var backend = new VaeGpu.Runtime.HostPath.HostBackend())
        {
            var (model, optimizer, options, state) = VaeGpu.Host.Training.Checkpoint.Load(checkpoint, backend);
            state.DataSha256 = null;
            VaeGpu.Host.Training.Checkpoint.Save(checkpoint, model, optimizer, backend, options, state);
        }
        (exitCode, _, error) = VaegpuProcess.Run("train", "--out", run, "--resume", "--epochs", "2", "--data", data, "--device", "host");
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(error, Does.Contain("was written before checkpoints recorded their data, so the data"));
        Assert.That(VaegpuProcess.RunExpectingUserError("train", "--out", run, "--resume", "--epochs", "3", "--data", OtherImages("other"), "--device", "host"),
            Does.Contain("is not the data the run"));
    }

    /// <summary>Shards of format 1 (before digests) merge with each other as before, by their --data string, never with format 2.</summary>
    [Test]
    public void ShardsFromBeforeDigestsMergeByTheirDataStringAlone()
    {
        string[] Write(string prefix, string dataText)
        {
            var settings = new EvaluationSettings(new string('a', 64), new string('b', 64), 40, 5, 8, 1, "none");
            return [.. Enumerable.Range(0, 2).Select(index =>
            {
                var shard = new ShardSlice(index, 2);
                double[] scores = [.. Enumerable.Range(0, EvaluationShardFile.Range(shard, 40, 8).Count).Select(i => 250.0 + i)];
                string path = folder.File($"{prefix}{index}.json");
                new EvaluationShardFile(settings, shard, new ImageScores(scores, scores, scores)) { Data = dataText }.Write(path);
                return path;
            })];
        }
        string[] current = Write("new", data), old = Write("old", data), moved = Write("moved", "/elsewhere");
        foreach (string path in old.Concat(moved))
        {
            // As vaegpu wrote shards before digests.
            var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            root["format"] = "vaegpu-eval-shard-1";
            root.Remove("test_data_sha256");
            root.Remove("sha256");
            File.WriteAllText(path, root.ToJsonString());
        }
        var (exitCode, _, error) = VaegpuProcess.Run("merge", old[0], old[1]);
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(VaegpuProcess.RunExpectingUserError("merge", old[0], moved[1]), Does.Contain("their data or test fraction differ"));
        Assert.That(VaegpuProcess.RunExpectingUserError("merge", current[0], old[1]), Does.Contain("one of them was written before shards recorded their data"));
    }

    static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
}
