using System.Diagnostics;
using VaeGpu.Tests.Data;

namespace VaeGpu.Tests.Hardening;

/// <summary>
/// Inputs that are no regular file (issue 23, cause 4): a FIFO, a device or a folder given as data, model or shard is
/// one line and exit code 2 at once, never a wait for a writer or a read without end.
/// </summary>
public class SpecialInputsTests : TemporaryFolderTests
{
    [Test]
    public void FifosDevicesAndFoldersAreRefusedAsInputsAtOnce()
    {
        string fifo = Folder.File("images.npy"), model = Folder.File("model.safetensors"), shard = Folder.File("shard.json");
        foreach (string path in new[] { fifo, model, shard }) MakeFifo(path);
        string idx = Directory.CreateDirectory(Folder.File("idx")).FullName;
        MakeFifo(Path.Combine(idx, "train-images-idx3-ubyte"));
        MakeFifo(Path.Combine(idx, "t10k-images-idx3-ubyte"));

        var cases = new (string[] Arguments, string Expected)[]
        {
            (["train", "--data", fifo, "--out", Folder.File("run"), "--device", "host"], $"{fifo} is a FIFO, not a regular file"),
            (["train", "--data", idx, "--out", Folder.File("run"), "--device", "host"], "is a FIFO, not a regular file"),
            (["eval", "--model", model, "--device", "host"], $"{model} is a FIFO"),
            (["sample", "--model", "/dev/zero", "--out", Folder.File("s.png"), "--device", "host"], "/dev/zero is a character device"),
            (["merge", shard], $"{shard} is a FIFO"),
            (["merge", "/dev/zero"], "/dev/zero is a character device"),
            (["merge", "/dev/urandom"], "/dev/urandom is a character device"),
            (["merge", idx], $"{idx} is a folder"),
            (["em", "--data", "/dev/zero", "--out", Folder.File("em")], "/dev/zero is a character device"),
        };
        foreach (var (arguments, expected) in cases)
        {
            var (exitCode, error) = RunWithin(TimeSpan.FromSeconds(30), arguments);
            Assert.That(exitCode, Is.EqualTo(2), string.Join(' ', arguments) + "\n" + error);
            var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.That(lines, Has.Length.EqualTo(1), error);
            Assert.That(lines[0], Does.StartWith("vaegpu: error: ").And.Contain(expected));
        }
        Assert.That(Directory.Exists(Folder.File("run")) || Directory.Exists(Folder.File("em")), Is.False);
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

    /// <summary>
    /// A gzip IDX file whose stream inflates far past the data its header allows (issue 23, cause 4): 16 GiB of zeros
    /// after the images, in 64 gzip members of 256 MiB each (a 16 MB file). Reading stops 1 MiB past the data.
    /// </summary>
    [Test]
    public void AGzipIdxFileIsReadOnlyAsFarAsItsHeaderAllows()
    {
        string data = Folder.File("bomb");
        Directory.CreateDirectory(data);
        byte[] zerosMember = IdxWriter.Gzip(new byte[256 << 20]);
        using (var file = File.Create(Path.Combine(data, "train-images-idx3-ubyte.gz")))
        {
            file.Write(IdxWriter.Gzip(IdxWriter.Bytes(0x00000803, [1, 2, 2], [0, 64, 128, 255])));
            for (int member = 0; member < 64; member++) file.Write(zerosMember);
        }
        IdxWriter.WriteImages(Path.Combine(data, "t10k-images-idx3-ubyte"), 1, 2, 2, gzip: false);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.That(VaegpuProcess.RunExpectingUserError("train", "--data", data, "--out", Folder.File("run"), "--epochs", "1", "--device", "host"),
            Does.Contain("train-images-idx3-ubyte.gz: more than 1048576 bytes of trailing garbage after the 4 bytes of pixel data"));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)), "16 GiB were not inflated");
    }
}
