using System.Security.Cryptography;
using VaeGpu.Runtime;

namespace VaeGpu.Host.Files;

/// <summary>
/// Writes a file so that readers, and a crash, find either the old content or all of the new, never a part: the
/// content goes to a temporary file beside the target, is flushed to disk, and is renamed over the target. The
/// temporary file is in the same folder because a rename is atomic only within one file system. The folder itself is
/// not synced (.NET cannot open one), so after a power cut the old file may be back, but never a partial new one.
/// </summary>
public static class AtomicFile
{
    public static void Write(string path, Action<Stream> writeContent)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new UserErrorException("no path given for a file to write.");
        // A rename replaces whatever the name points at; only a regular file (or nothing) may be replaced.
        FileKind.RefuseNonRegular("the output", path);
        string temporary = $"{path}.tmp-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}";
        using var inProgress = WritesInProgress.Enter();
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                writeContent(stream);
                // Otherwise the rename can reach the disk before the data, and a crash leaves a short file under the
                // final name.
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception error)
        {
            // File.Delete throws where the folder itself is missing.
            if (File.Exists(temporary)) File.Delete(temporary);
            if (error is UserErrorException) throw;
            // A missing folder, a full disk or a read-only place is the user's to fix; anything else is a bug.
            if (error is IOException or UnauthorizedAccessException)
                throw new UserErrorException($"{path}: cannot write it: {error.Message.ReplaceLineEndings(" ")}");
            throw;
        }
    }
}
