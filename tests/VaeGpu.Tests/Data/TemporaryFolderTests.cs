namespace VaeGpu.Tests.Data;

/// <summary>A fixture whose every test gets a new TemporaryFolder, deleted after the test.</summary>
public abstract class TemporaryFolderTests
{
    /// <summary>This test's folder.</summary>
    protected TemporaryFolder Folder { get; private set; } = null!;

    [SetUp]
    public void CreateFolder() => Folder = new TemporaryFolder();

    [TearDown]
    public void RemoveFolder() => Folder.Dispose();
}
