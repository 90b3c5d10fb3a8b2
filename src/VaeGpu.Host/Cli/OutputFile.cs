using VaeGpu.Runtime;

namespace VaeGpu.Host.Cli;

/// <summary>
/// A file a command will write, checked before any computing: a path is given, it is nothing yet or a regular file
/// (never a device, a FIFO, a folder or a link, which a rename would replace), and its folder takes a new file.
/// </summary>
public static class OutputFile
{
    /// <param name="option">How the user named it, e.g. "--out".</param>
    public static string Check(string option, string? path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new UserErrorException($"{option}: give the path of the file to write.");
        RefuseNonRegular(option, path);
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string probe = Path.Combine(folder, $".vaegpu-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
        using var inProgress = WritesInProgress.Enter();
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None)) { }
            File.Delete(probe);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new UserErrorException($"{option} {path}: cannot create a file in {folder}: {error.Message.ReplaceLineEndings(" ")}");
        }
        return path;
    }

    /// <summary>Refuses a path that names something other than nothing or a regular file.</summary>
    public static void RefuseNonRegular(string what, string path)
    {
        string kind = FileKind.Of(path);
        if (kind != FileKind.Missing && kind != FileKind.Regular)
            throw new UserErrorException($"{what} {path} is {kind}, not a regular file: give another path (nothing but a regular file is ever replaced).");
    }
}
