using System.Diagnostics;
using VaeGpu.Host.Files;
using VaeGpu.Tests.Data;

namespace VaeGpu.Tests.Hardening;

/// <summary>
/// Outputs (issue 11, causes 4, 5, 6, 9 and 10): a path that names a FIFO, a folder or a link is refused and left as it
/// was, an empty path is one line, a refused command leaves no empty folder behind, and a second run into a folder
/// that a run is using is refused with the holder's process id, and a killed write's temporary file does not stay.
/// </summary>
public class OutputsAndLockTests
{
    TemporaryFolder folder = null!;
    string data = null!, run = null!;

    [SetUp]
    public void CreateDataSet()
    {
        folder = new TemporaryFolder();
        data = IdxWriter.WriteDataSet(folder.File("data"), 256, 64, 8, 8);
        run = folder.File("run");
    }

    [TearDown]
    public void RemoveFolder() => folder.Dispose();

    string Model()
    {
        var (exitCode, _, error) = VaegpuProcess.Run("train", "--data", data, "--out", run, "--epochs", "1", "--hidden", "16", "--latent", "2", "--device", "host");
        Assert.That(exitCode, Is.Zero, error);
        return Path.Combine(run, "model.safetensors");
    }

    [Test]
    public void FileKindTellsRegularFilesFromFifosFoldersAndLinks()
    {
        string fifo = MakeFifo(), file = folder.File("plain"), link = folder.File("link");
        File.WriteAllText(file, "x");
        File.CreateSymbolicLink(link, file);
        Assert.That(FileKind.Of(file), Is.EqualTo(FileKind.Regular));
        Assert.That(FileKind.Of(folder.Path), Is.EqualTo(FileKind.Folder));
        Assert.That(FileKind.Of(fifo), Is.EqualTo("a FIFO"));
        Assert.That(FileKind.Of(link), Is.EqualTo("a symbolic link"));
        Assert.That(FileKind.Of(folder.File("absent")), Is.EqualTo(FileKind.Missing));
        Assert.That(FileKind.Of("/dev/null"), Is.EqualTo("a character device"));
    }

    [Test]
    public void AnOutputThatIsNoRegularFileIsRefusedAndLeftAsItWas()
    {
        string model = Model(), fifo = MakeFifo(), link = folder.File("link"), target = folder.File("target");
        File.WriteAllText(target, "keep");
        File.CreateSymbolicLink(link, target);
        foreach (var (path, kind) in new[] { (fifo, "a FIFO"), (link, "a symbolic link"), (folder.Path, "a folder") })
        {
            Assert.That(VaegpuProcess.RunExpectingUserError("sample", "--model", model, "--out", path, "--device", "host"),
                Does.Contain($"is {kind}, not a regular file"));
            Assert.That(FileKind.Of(path), Is.EqualTo(kind), path);
        }
        Assert.That(File.ReadAllText(target), Is.EqualTo("keep"));
        Assert.That(VaegpuProcess.RunExpectingUserError("variance", "gaussian", "--shard", "0/2", "--samples", "1000", "--out", fifo), Does.Contain("a FIFO"));
    }

    [Test]
    public void EmptyPathsAndFoldersGivenAsFilesAreOneLine()
    {
        string model = Model();
        Assert.That(VaegpuProcess.RunExpectingUserError("sample", "--model", model, "--out", ""), Does.Contain("--out: give the path"));
        Assert.That(VaegpuProcess.RunExpectingUserError("eval", "--model", ""), Does.Contain("an empty file path"));
        Assert.That(VaegpuProcess.RunExpectingUserError("eval", "--model", run), Does.Contain("is a folder"));
        Assert.That(VaegpuProcess.RunExpectingUserError("variance", "gaussian", "--shard", "0/2", "--samples", "1000", "--out", ""), Does.Contain("--out: give the path"));
        Assert.That(VaegpuProcess.RunExpectingUserError("train", "--data", data, "--out", "", "--device", "host"), Does.Contain("--out"));
    }

    [TestCase("mc")]
    [TestCase("em")]
    [TestCase("kl-fit")]
    [TestCase("elbo-gap")]
    public void ARefusedCommandLeavesNoEmptyFolder(string command)
    {
        string output = folder.File("new/deeper");
        Assert.That(VaegpuProcess.RunExpectingUserError(command, "--device", "foo", "--out", output), Does.Contain("unknown device 'foo'"));
        Assert.That(Directory.Exists(folder.File("new")), Is.False);
    }

    [Test]
    public void ASecondRunIntoAFolderInUseIsRefusedWithTheHoldersProcessId()
    {
        Model();
        using var first = Process.Start(new ProcessStartInfo("dotnet",
            [Path.Combine(TestContext.CurrentContext.TestDirectory, "vaegpu.dll"), "train", "--data", data, "--out", run, "--resume", "--epochs", "400", "--device", "host"])
            { RedirectStandardError = true, RedirectStandardOutput = true })!;
        try
        {
            string owner = Path.Combine(run, ".lock.owner");
            var clock = Stopwatch.StartNew();
            while (!File.Exists(owner) && clock.Elapsed < TimeSpan.FromSeconds(30)) Thread.Sleep(50);
            Assert.That(File.Exists(owner), "the first run took the lock");

            string error = VaegpuProcess.RunExpectingUserError("train", "--data", data, "--out", run, "--resume", "--epochs", "400", "--device", "host");
            Assert.That(error, Does.Contain($"in use by another vaegpu run (process {first.Id})"));
        }
        finally
        {
            first.Kill();
            first.WaitForExit();
        }
        // kill -9 leaves the lock file, but not the lock: the next run takes it.
        var (exitCode, _, resumeError) = VaegpuProcess.Run("train", "--data", data, "--out", run, "--resume", "--epochs", "2", "--device", "host");
        Assert.That(exitCode, Is.Zero, resumeError);
    }

    [Test]
    public void TheTemporaryFilesOfKilledWritesAreRemovedWhenTheRunResumes()
    {
        Model();
        string stale = Path.Combine(run, "model.safetensors.tmp-0123456789ab");
        File.WriteAllBytes(stale, new byte[1000]);
        var (exitCode, _, error) = VaegpuProcess.Run("train", "--data", data, "--out", run, "--resume", "--epochs", "2", "--device", "host");
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(File.Exists(stale), Is.False);
        Assert.That(Directory.EnumerateFiles(run, "*.tmp-*"), Is.Empty);
    }

    /// <summary>Two new runs started together into one new folder: one trains, the other is refused.</summary>
    [Test]
    public void TwoRunsStartedTogetherIntoOneNewFolderGiveOneRefusal()
    {
        ProcessStartInfo Start() => new("dotnet", [Path.Combine(TestContext.CurrentContext.TestDirectory, "vaegpu.dll"),
            "train", "--data", data, "--out", run, "--epochs", "2", "--hidden", "16", "--latent", "2", "--device", "host"])
            { RedirectStandardError = true, RedirectStandardOutput = true };
        using var first = Process.Start(Start())!;
        using var second = Process.Start(Start())!;
        var errors = new[] { first.StandardError.ReadToEndAsync(), second.StandardError.ReadToEndAsync() };
        first.StandardOutput.ReadToEnd();
        second.StandardOutput.ReadToEnd();
        first.WaitForExit();
        second.WaitForExit();

        Assert.That(new[] { first.ExitCode, second.ExitCode }.Order(), Is.EqualTo(new[] { 0, 2 }), errors[0].Result + errors[1].Result);
        string refusal = first.ExitCode == 2 ? errors[0].Result : errors[1].Result;
        Assert.That(refusal, Does.Contain("in use by another vaegpu run").Or.Contain("already holds a run"));
    }

    [Test]
    public void ADeviceNodeGivenAsOutIsRefusedAndUntouched()
    {
        string model = Model(), node = folder.File("null-device");
        using (var mknod = Process.Start(new ProcessStartInfo("mknod", [node, "c", "1", "3"]) { RedirectStandardError = true })!)
        {
            mknod.WaitForExit();
            if (mknod.ExitCode != 0) Assert.Ignore("mknod is not allowed here (it needs root and CAP_MKNOD)");
        }
        Assert.That(VaegpuProcess.RunExpectingUserError("sample", "--model", model, "--out", node, "--device", "host"), Does.Contain("is a character device"));
        Assert.That(FileKind.Of(node), Is.EqualTo("a character device"));
    }

    [Test]
    public void EndlessInputsAreRefusedWithinBoundedMemory()
    {
        // Devices are refused before they are opened (SpecialInputsTests); an endless regular file cannot exist.
        Assert.That(VaegpuProcess.RunExpectingUserError("merge", "/dev/zero"), Does.Contain("is a character device, not a regular file"));
        Assert.That(VaegpuProcess.RunExpectingUserError("em", "--data", "/dev/zero", "--out", folder.File("em")), Does.Contain("is a character device, not a regular file"));
        Assert.That(Directory.Exists(folder.File("em")), Is.False);
    }

    string MakeFifo()
    {
        string fifo = folder.File("fifo");
        using var mkfifo = Process.Start("mkfifo", [fifo])!;
        mkfifo.WaitForExit();
        Assert.That(mkfifo.ExitCode, Is.Zero);
        return fifo;
    }
}
