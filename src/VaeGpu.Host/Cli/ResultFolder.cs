using VaeGpu.Runtime;

namespace VaeGpu.Host.Cli;

/// <summary>
/// The --out folder of a command, created before any computing so that a bad path fails at once. The folders a run
/// creates are remembered: when the command then ends in a user error, RemoveEmptyCreated takes back those it left
/// empty, so a refused command leaves nothing behind.
/// </summary>
public static class ResultFolder
{
    static readonly List<string> created = [];

    public static string Create(string path)
    {
        try
        {
            var missing = new List<string>();
            for (var folder = new DirectoryInfo(path); folder is not null && !folder.Exists; folder = folder.Parent) missing.Add(folder.FullName);
            string full = Directory.CreateDirectory(path).FullName;
            lock (created) created.AddRange(missing);
            return full;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UserErrorException($"--out {path}: cannot create the folder: {error.Message.ReplaceLineEndings(" ")}");
        }
    }

    /// <summary>Removes, deepest first, the folders Create made in this process that are still empty.</summary>
    public static void RemoveEmptyCreated()
    {
        lock (created)
        {
            foreach (string folder in created)
            {
                try
                {
                    if (Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any()) Directory.Delete(folder);
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
