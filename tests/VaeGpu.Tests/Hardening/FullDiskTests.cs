using System.Diagnostics;
using VaeGpu.Tests.Data;

namespace VaeGpu.Tests.Hardening;

/// <summary>
/// A full disk (issue 23, cause 6), on a small tmpfs where this machine lets the tests mount one (as root): taking the
/// run lock is one line and exit code 2, and the folder is left as it was, without empty lock files.
/// </summary>
public class FullDiskTests
{
    TemporaryFolder folder = null!;
    string disk = null!;

    [SetUp]
    public void MountASmallDisk()
    {
        folder = new TemporaryFolder();
        disk = Directory.CreateDirectory(folder.File("disk")).FullName;
        if (Run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", disk) != 0)
            Assert.Ignore("mounting a tmpfs is not allowed here (it needs root): the full-disk case is not tested");
    }

    [TearDown]
    public void Unmount()
    {
        Run("umount", disk);
        folder.Dispose();
    }

    [Test]
    public void AFullDiskWhenTheLockIsTakenIsOneLineAndLeavesTheFolderAsItWas()
    {
        string data = IdxWriter.WriteDataSet(folder.File("data"), 64, 32, 8, 8);
        string run = Directory.CreateDirectory(Path.Combine(disk, "run")).FullName;
        Assert.That(Run("dd", "if=/dev/zero", $"of={Path.Combine(disk, "filler")}", "bs=4k", "count=64"), Is.Not.Zero, "the disk is full");

        Assert.That(VaegpuProcess.RunExpectingUserError("train", "--data", data, "--out", run, "--epochs", "1", "--hidden", "16", "--latent", "2", "--device", "host"),
            Does.Contain("cannot write the run lock"));
        Assert.That(Directory.EnumerateFileSystemEntries(run), Is.Empty);
    }

    static int Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode;
    }
}
