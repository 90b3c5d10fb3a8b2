using VaeGpu.Runtime;

namespace VaeGpu.Host.Files;

/// <summary>What a command writes: an existing file at its output is replaced only when it already is of this kind.</summary>
/// <param name="Name">How a message names it, e.g. "a PNG picture".</param>
/// <param name="Holds">Whether the (regular, non-empty) file at the path is one, judged by its first bytes.</param>
public sealed record OutputKind(string Name, Func<string, bool> Holds)
{
    static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static readonly OutputKind Png = new("a PNG picture", path => Start(path, PngSignature.Length).SequenceEqual(PngSignature));

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
