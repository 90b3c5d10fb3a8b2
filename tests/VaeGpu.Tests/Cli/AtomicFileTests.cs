using VaeGpu.Host.SafeTensors;
using VaeGpu.Runtime;
using VaeGpu.Host.Files;

namespace VaeGpu.Tests.Cli;

public class AtomicFileTests
{
    string folder = "";

    [SetUp]
    public void CreateFolder() => folder = Directory.CreateTempSubdirectory("vaegpu-atomic-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(folder, recursive: true);

    [Test]
    public void WritesTheContentAndNothingElse()
    {
        string path = Path.Combine(folder, "out.csv");
        AtomicFile.Write(path, stream => stream.Write("a,b\n"u8));
        Assert.That(File.ReadAllText(path), Is.EqualTo("a,b\n"));
        Assert.That(Directory.GetFiles(folder), Is.EqualTo(new[] { path }));
    }

    [Test]
    public void OverwriteReplacesTheOldContent()
    {
        string path = Path.Combine(folder, "out.csv");
        File.WriteAllText(path, "a much longer old content\n");
        AtomicFile.Write(path, stream => stream.Write("new\n"u8));
        Assert.That(File.ReadAllText(path), Is.EqualTo("new\n"));
        Assert.That(Directory.GetFiles(folder), Is.EqualTo(new[] { path }));
    }

    /// <summary>The writer fails after a megabyte: the old file is still whole, and the partial one is gone.</summary>
    [Test]
    public void AFailureMidwayLeavesTheOldFileAndNoTemporaryFile()
    {
        string path = Path.Combine(folder, "model.safetensors");
        File.WriteAllText(path, "old\n");
        var failure = new InvalidOperationException("the writer failed");

        var thrown = Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[1 << 20]);
            throw failure;
        }))!;

        Assert.That(thrown, Is.SameAs(failure));
        Assert.That(File.ReadAllText(path), Is.EqualTo("old\n"));
        Assert.That(Directory.GetFiles(folder), Is.EqualTo(new[] { path }));
    }

    [Test]
    public void AFailureWithoutAnOldFileLeavesNoFile()
    {
        string path = Path.Combine(folder, "model.safetensors");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("partial"u8);
            throw new InvalidOperationException();
        }));
        Assert.That(Directory.GetFileSystemEntries(folder), Is.Empty);
    }

    [Test]
    public void AMissingFolderIsAOneLineUserErrorNamingThePath()
    {
        string path = Path.Combine(folder, "absent", "model.safetensors");
        var error = Assert.Throws<UserErrorException>(() => AtomicFile.Write(path, stream => stream.Write("x"u8)))!;
        Assert.That(error.Message, Does.StartWith($"{path}: cannot write it:"));
        Assert.That(error.Message, Does.Not.Contain('\n'));
        Assert.That(Directory.GetFileSystemEntries(folder), Is.Empty);
    }
}
