using VaeGpu.Host.Training;
using VaeGpu.Runtime;

namespace VaeGpu.Cli.Commands;

/// <summary>
/// One run per run folder: an exclusive OS lock on RUN/.lock for the life of the run, released on any exit (the
/// kernel drops it even after kill -9; the file is deleted on a normal exit). The holder's process id is in
/// RUN/.lock.owner, which a refused second run names. Taking it removes the temporary files of writes that were
/// killed before their rename (AtomicFile's *.tmp-*).
/// </summary>
public sealed class RunLock : IDisposable
{
    readonly FileStream lockFile;
    readonly string ownerFile;

    RunLock(FileStream lockFile, string ownerFile) => (this.lockFile, this.ownerFile) = (lockFile, ownerFile);

    public const string LockFile = ".lock", OwnerFile = ".lock.owner";

    /// <summary>The names of the files the lock keeps in the run folder.</summary>
    public static readonly IReadOnlySet<string> Files = new HashSet<string> { LockFile, OwnerFile };

    public static RunLock Take(string folder)
    {
        string path = Path.Combine(folder, LockFile), owner = Path.Combine(folder, OwnerFile);
        FileStream stream;
        try
        {
            // FileShare.None is an exclusive flock(2) on Linux: a second process cannot open it until this one closes it.
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (IOException)
        {
            string holder = File.Exists(owner) ? File.ReadAllText(owner).Trim() : "unknown";
            throw new UserErrorException($"{folder} is in use by another vaegpu run (process {holder}): wait for it to end, or choose another --out.");
        }
        try
        {
            File.WriteAllText(owner, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // A full disk or a read-only place: leave the folder as it was (the lock file goes with its stream).
            stream.Dispose();
            File.Delete(owner);
            throw new UserErrorException($"{folder}: cannot write the run lock: {error.Message.ReplaceLineEndings(" ")}: free some space or choose another --out.");
        }
        // Under the lock no other run writes here, so any temporary file is a killed write's leftover.
        foreach (string stale in Directory.EnumerateFiles(folder, "*.tmp-*")) File.Delete(stale);
        return new RunLock(stream, owner);
    }

    public void Dispose()
    {
        File.Delete(ownerFile);
        lockFile.Dispose();
    }
}
