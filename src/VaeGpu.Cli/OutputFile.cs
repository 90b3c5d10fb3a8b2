using VaeGpu.Host.Files;
using VaeGpu.Runtime;

namespace VaeGpu.Cli;

/// <summary>
/// A file a command will write, checked before any computing: a path is given, it is nothing yet or a regular file
/// (never a device, a FIFO, a folder or a link, which a rename would replace), it is none of the command's inputs and
/// none of a run's own files (model, checkpoint, metrics), an existing file there is already the command's kind of
/// output (or empty), and its folder takes a new file.
/// </summary>
public static class OutputFile
{
    /// <param name="option">How the user named it, e.g. "--out".</param>
    /// <param name="kind">What the command writes there.</param>
    /// <param name="inputs">The files the command reads, with the options that named them, e.g. ("--model", path).</param>
    public static string Check(string option, string? path, OutputKind kind, params (string Option, string Path)[] inputs)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new UserErrorException($"{option}: give the path of the file to write.");
        FileKind.RefuseNonRegular(option, path);
        foreach (var input in inputs)
            if (FileKind.SameFile(path, input.Path))
                throw new UserErrorException($"{option} {path} is the {input.Option} file the command reads: give another path.");
        if (RunFiles.Owner(path) is { } run)
            throw new UserErrorException($"{option} {path} is a file of the training run in {run}, which it would break: give another path.");
        if (RunFiles.Picture(path) is { } pictureRun)
            throw new UserErrorException($"{option} {path} is a file the training run in {pictureRun} writes, which vaegpu does not replace with another command's: give another path.");
        if (File.Exists(path) && ResultFolder.Owner(Path.GetDirectoryName(Path.GetFullPath(path))!) is { } results)
            throw new UserErrorException($"{option} {path} is a file of the results of `{results}`, which vaegpu does not replace with another command's: give another path.");
        if (File.Exists(path) && new FileInfo(path).Length > 0 && !kind.Holds(path))
            throw new UserErrorException($"{option} {path} already holds something other than {kind.Name}, which vaegpu does not replace: give another path, or remove that file first.");
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
}
