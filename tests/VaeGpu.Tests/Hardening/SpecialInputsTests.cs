using System.Diagnostics;
using VaeGpu.Tests.Data;

namespace VaeGpu.Tests.Hardening;

/// <summary>
/// Inputs that are no regular file (issue 23, cause 4): a FIFO, a device or a folder given as data, model or shard is
/// one line and exit code 2 at once, never a wait for a writer or a read without end.
/// </summary>
public class SpecialInputsTests
{
    TemporaryFolder folder = null!;

    [SetUp]
    public void CreateFolder() => folder = new TemporaryFolder();

    [TearDown]
    public void RemoveFolder() => folder.Dispose();

    [Test]
    public void FifosDevicesAndFoldersAreRefusedAsInputsAtOnce()
    {
        string fifo = folder.File("images.npy"), model = folder.File("model.safetensors"), shard = folder.File("shard.json");
        foreach (string path in new[] { fifo, model, shard }) MakeFifo(path);
        string idx = Directory.CreateDirectory(folder.File("idx")).FullName;
        MakeFifo(Path.Combine(idx, "train-images-idx3-ubyte"));
        MakeFifo(Path.Combine(idx, "t10k-images-idx3-ubyte"));

        var cases = new (string[] Arguments, string Expected)[]
        {
            (["train", "--data", fifo, "--out", folder.File("run"), "--device", "host"], $"{fifo} is a FIFO, not a regular file"),
            (["train", "--data", idx, "--out", folder.File("run"), "--device", "host"], "is a FIFO, not a regular file"),
            (["eval", "--model", model, "--device", "host"], $"{model} is a FIFO"),
            (["sample", "--model", "/dev/zero", "--out", folder.File("s.png"), "--device", "host"], "/dev/zero is a character device"),
            (["merge", shard], $"{shard} is a FIFO"),
            (["merge", "/dev/zero"], "/dev/zero is a character device"),
            (["merge", "/dev/urandom"], "/dev/urandom is a character device"),
            (["merge", idx], $"{idx} is a folder"),
            (["em", "--data", "/dev/zero", "--out", folder.File("em")], "/dev/zero is a character device"),
        };
        foreach (var (arguments, expected) in cases)
        {
            var (exitCode, error) = RunWithin(TimeSpan.FromSeconds(30), arguments);
            Assert.That(exitCode, Is.EqualTo(2), string.Join(' ', arguments) + "\n" + error);
            var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.That(lines, Has.Length.EqualTo(1), error);
            Assert.That(lines[0], Does.StartWith("vaegpu: error: ").And.Contain(expected));
        }
        Assert.That(Directory.Exists(folder.File("run")) || Directory.Exists(folder.File("em")), Is.False);
    }

    /// <summary>Runs the program; one that is still running after the limit is killed and the test fails.</summary>
    static (int ExitCode, string Error) RunWithin(TimeSpan limit, string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(TestContext.CurrentContext.TestDirectory, "vaegpu.dll"));
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill();
            process.WaitForExit();
            Assert.Fail($"vaegpu {string.Join(' ', arguments)} still ran after {limit.TotalSeconds} s: {error.Result}");
        }
        process.WaitForExit();
        return (process.ExitCode, error.Result);
    }

    static void MakeFifo(string path)
    {
        using var mkfifo = Process.Start("mkfifo", [path])!;
        mkfifo.WaitForExit();
        Assert.That(mkfifo.ExitCode, Is.Zero);
    }
}
