using VaeGpu.Runtime;

namespace VaeGpu.Cli;

/// <summary>
/// The --out folder of a command, created before any computing so that a bad path fails at once. The folders a run
/// creates are remembered: when the command then ends in a user error, RemoveEmptyCreated takes back those it left
/// empty, so a refused command leaves nothing behind.
/// A command's results folder (command given) holds the results of that one command: a marker file, Marker, names
/// it. Another command's results folder, or a non-empty folder without a marker (the user's own files, a training
/// run, or results from before markers), is refused with one line before anything is written, so that no command
/// replaces or mixes with another's files (mc's sweep.csv and variance gaussian --sweep's are of other formats).
/// </summary>
public static class ResultFolder
{
    /// <summary>The hidden file that names the command whose results a folder holds.</summary>
    public const string Marker = ".vaegpu-results";

    static readonly List<string> created = [];

    /// <param name="command">The command as a user types it, e.g. "mc" or "variance gaussian --sweep"; null for a
    /// training run, whose folder RunFolder guards.</param>
    public static string Create(string path, string? command = null)
    {
        if (command is not null) RequireOwn(path, command);
        try
        {
            var missing = new List<string>();
            for (var folder = new DirectoryInfo(path); folder is not null && !folder.Exists; folder = folder.Parent) missing.Add(folder.FullName);
            string full = Directory.CreateDirectory(path).FullName;
            lock (created) created.AddRange(missing);
            if (command is not null && !File.Exists(Path.Combine(full, Marker)))
                AtomicFile.Write(Path.Combine(full, Marker), stream => stream.Write(System.Text.Encoding.UTF8.GetBytes($"vaegpu {command}\n")));
            return full;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UserErrorException($"--out {path}: cannot create the folder: {error.Message.ReplaceLineEndings(" ")}");
        }
    }

    /// <summary>The command ("vaegpu mc", ...) whose results the folder holds, by its marker; null for a folder without one.</summary>
    public static string? Owner(string folder)
    {
        string marker = Path.Combine(folder, Marker);
        if (FileKind.Of(marker, followLinks: true) != FileKind.Regular) return null;
        var start = OutputKind.Start(marker, 256);
        return System.Text.Encoding.UTF8.GetString(start).Trim().ReplaceLineEndings(" ");
    }

    /// <summary>Refuses a folder that holds anything but this command's results (see the class summary).</summary>
    public static void RequireOwn(string path, string command)
    {
        if (!Directory.Exists(path)) return;
        string marker = Path.Combine(path, Marker);
        string? owner = null;
        if (File.Exists(marker))
        {
            InputFile.RequireRegular(marker);
            using var stream = new FileStream(marker, FileMode.Open, FileAccess.Read, FileShare.Read);
            var start = new byte[256];
            owner = System.Text.Encoding.UTF8.GetString(start, 0, stream.ReadAtLeast(start, start.Length, throwOnEndOfStream: false)).Trim();
            if (owner == $"vaegpu {command}") return;
            throw new UserErrorException($"--out {path} holds the results of `{owner.ReplaceLineEndings(" ")}`, which `vaegpu {command}` would mix with or replace: choose another --out.");
        }
        var others = Directory.EnumerateFileSystemEntries(path).Select(entry => Path.GetFileName(entry)).Order(StringComparer.Ordinal).ToList();
        if (others.Count > 0)
            throw new UserErrorException($"--out {path} holds other files ({string.Join(", ", others.Take(3))}{(others.Count > 3 ? ", ..." : "")}) and no results of `vaegpu {command}`: " +
                "choose a new or empty folder, so that none of them is replaced.");
    }

    /// <summary>Removes, deepest first, the folders Create made in this process that hold nothing but perhaps their marker.</summary>
    public static void RemoveEmptyCreated()
    {
        lock (created)
        {
            foreach (string folder in created)
            {
                try
                {
                    if (!Directory.Exists(folder)) continue;
                    var entries = Directory.EnumerateFileSystemEntries(folder).Select(entry => Path.GetFileName(entry)).ToList();
                    if (entries is [Marker]) File.Delete(Path.Combine(folder, Marker));
                    if (entries.Count == 0 || entries is [Marker]) Directory.Delete(folder);
                }
                catch (Exception error) when (error is IOException or UnauthorizedAccessException)
                {
                    // Left as it is: something else is using it now.
                }
            }
            created.Clear();
        }
    }
}
