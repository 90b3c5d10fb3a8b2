namespace VaeGpu.Tests.Data;

/// <summary>A new empty folder under the system's temporary folder, deleted with everything in it on Dispose.</summary>
public sealed class TemporaryFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("vaegpu-tests-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
