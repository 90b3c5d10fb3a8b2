using VaeGpu.Runtime;

namespace VaeGpu.Host.Cli;

/// <summary>The --out folder of an experiment command, created before any computing so that a bad path fails at once.</summary>
public static class ResultFolder
{
    public static string Create(string path)
    {
        try
        {
            return Directory.CreateDirectory(path).FullName;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UserErrorException($"--out {path}: cannot create the folder: {error.Message.ReplaceLineEndings(" ")}");
        }
    }
}
