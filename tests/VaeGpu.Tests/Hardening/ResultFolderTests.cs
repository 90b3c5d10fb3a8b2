using System.Security.Cryptography;
using VaeGpu.Tests.Data;

namespace VaeGpu.Tests.Hardening;

/// <summary>
/// Two commands into one --out (issue 23, cause 9): a results folder holds one command's results. Another command
/// into it, or any command into a folder of other files, is refused with one line before anything is written; the
/// same command may redo its own results there.
/// </summary>
public class ResultFolderTests : TemporaryFolderTests
{
    static readonly string[] Mc = ["mc", "--samples", "1e4", "--max-samples", "1000", "--device", "host"];
    static readonly string[] Sweep = ["variance", "gaussian", "--sweep", "--samples", "1e4", "--device", "host"];

    [Test]
    public void AnotherCommandIntoAResultsFolderIsRefusedAndNothingIsWritten()
    {
        string results = Folder.File("results");
        var (exitCode, _, error) = VaegpuProcess.Run([.. Mc, "--out", results]);
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(File.Exists(Path.Combine(results, "sweep.csv")));
        var before = Digests(results);

        Assert.That(VaegpuProcess.RunExpectingUserError([.. Sweep, "--out", results]),
            Does.Contain($"--out {results} holds the results of `vaegpu mc`, which `vaegpu variance gaussian --sweep` would mix with or replace"));
        Assert.That(VaegpuProcess.RunExpectingUserError("kl-fit", "--out", results, "--device", "host"), Does.Contain("holds the results of `vaegpu mc`"));
        Assert.That(Digests(results), Is.EqualTo(before), "mc's files as they were, and no other");

        // mc redoes its own results.
        (exitCode, _, error) = VaegpuProcess.Run([.. Mc, "--out", results]);
        Assert.That(exitCode, Is.Zero, error);
    }

    [Test]
    public void AFolderOfOtherFilesIsRefused()
    {
        string mine = Folder.File("mine");
        Directory.CreateDirectory(mine);
        File.WriteAllText(Path.Combine(mine, "sweep.csv"), "my own numbers\n");
        var before = Digests(mine);
        Assert.That(VaegpuProcess.RunExpectingUserError([.. Sweep, "--out", mine]), Does.Contain($"--out {mine} holds other files (sweep.csv) and no results of `vaegpu variance gaussian --sweep`"));
        Assert.That(VaegpuProcess.RunExpectingUserError([.. Mc, "--out", mine]), Does.Contain("and no results of `vaegpu mc`"));
        Assert.That(Digests(mine), Is.EqualTo(before));
    }

    static Dictionary<string, string> Digests(string path) => Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
        .ToDictionary(file => file, file => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file))));
}
