using VaeGpu.Runtime;

namespace VaeGpu.Host.Files;

/// <summary>
/// A file a command reads: only a regular file (links followed), checked before it is opened, because opening a FIFO
/// waits for a writer without a word, and a device such as /dev/zero or /dev/urandom never ends. The readers then
/// bound every read by the file's length and their format's limits.
/// </summary>
public static class InputFile
{
    /// <summary>Refuses a path that exists and is not a regular file; a missing one is left to the reader's own message.</summary>
    public static void RequireRegular(string path)
    {
        string kind = FileKind.Of(path, followLinks: true);
        if (kind != FileKind.Missing && kind != FileKind.Regular)
            throw new UserErrorException($"{path} is {kind}, not a regular file: give the path of a file (vaegpu reads only regular files).");
    }
}
