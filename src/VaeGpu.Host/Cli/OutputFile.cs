using VaeGpu.Runtime;

namespace VaeGpu.Host.Cli;

/// <summary>What a command writes: an existing file at its output is replaced only when it already is of this kind.</summary>
/// <param name="Name">How a message names it, e.g. "a PNG picture".</param>
/// <param name="Holds">Whether the (regular, non-empty) file at the path is one, judged by its first bytes.</param>
public sealed record OutputKind(string Name, Func<string, bool> Holds)
{
    static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static readonly OutputKind Png = new("a PNG picture", path => OutputFile.Start(path, PngSignature.Length).SequenceEqual(PngSignature));
}

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
        RefuseNonRegular(option, path);
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

    /// <summary>Refuses a path that names something other than nothing or a regular file.</summary>
    public static void RefuseNonRegular(string what, string path)
    {
        string kind = FileKind.Of(path);
        if (kind != FileKind.Missing && kind != FileKind.Regular)
            throw new UserErrorException($"{what} {path} is {kind}, not a regular file: give another path (nothing but a regular file is ever replaced).");
    }

    /// <summary>Up to the first <paramref name="count"/> bytes of a regular file; none where it cannot be read.</summary>
    public static byte[] Start(string path, int count)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            var start = new byte[count];
            return start[..stream.ReadAtLeast(start, count, throwOnEndOfStream: false)];
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}

/// <summary>The files that make a training run resumable: no command but the run's own `train` writes them.</summary>
public static class RunFiles
{
    public const string Metrics = "metrics.csv", Model = "model.safetensors", Checkpoint = "checkpoint.safetensors";

    /// <summary>The pictures and tables a run writes besides its model, checkpoint and metrics.</summary>
    static bool IsRunPicture(string name) =>
        name is "reconstructions.png" or "samples.png" or "loss.png" or "manifold.png" or "latent.png" || name.StartsWith("variance-epoch-", StringComparison.Ordinal);

    /// <summary>The run folder when the path is one of the pictures or variance tables of a run; null otherwise.</summary>
    public static string? Picture(string path)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        return IsRunPicture(Path.GetFileName(path)) && File.Exists(Path.Combine(folder, Checkpoint)) ? folder : null;
    }

    /// <summary>The run folder when the path is one of its model, checkpoint or metrics file; a folder with a checkpoint holds a run.</summary>
    public static string? Owner(string path)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        return Path.GetFileName(path) is Metrics or Model or Checkpoint && File.Exists(Path.Combine(folder, Checkpoint)) ? folder : null;
    }
}
