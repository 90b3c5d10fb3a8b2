using System.Diagnostics;

namespace VaeGpu.Tests;

/// <summary>Runs the built vaegpu program as a user would, capturing its exit code, stdout and stderr.</summary>
public static class VaegpuProcess
{
    public static (int ExitCode, string Output, string Error) Run(params string[] arguments) => RunWith(new Dictionary<string, string>(), arguments);

    /// <summary>Run with these environment variables set (added to the test's own environment).</summary>
    public static (int ExitCode, string Output, string Error) RunWith(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment) start.Environment[name] = value;
        start.ArgumentList.Add(Path.Combine(TestContext.CurrentContext.TestDirectory, "vaegpu.dll"));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.Result);
    }

    /// <summary>The checkout's root: the folder above the test output that holds VaeGpu.sln.</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "VaeGpu.sln"))) return directory.FullName;
        throw new InvalidOperationException("VaeGpu.sln not found above the test folder.");
    }

    /// <summary>Runs any program with these arguments and environment variables added, capturing its exit code and output.</summary>
    public static (int ExitCode, string Output, string Error) RunProgram(string program, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string> environment, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (workingDirectory is not null) start.WorkingDirectory = workingDirectory;
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.Result);
    }

    /// <summary>The command that runs the built program, as a script's VAEGPU variable takes it.</summary>
    public static string Command => $"dotnet {Path.Combine(TestContext.CurrentContext.TestDirectory, "vaegpu.dll")}";

        /// <summary>Asserts the run failed with exit code 2 and exactly one line on stderr starting "vaegpu: error:"; returns that line.</summary>
    public static string RunExpectingUserError(params string[] arguments)
    {
        var (exitCode, _, error) = Run(arguments);
        Assert.That(exitCode, Is.EqualTo(2), error);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(line => !line.StartsWith("device:", StringComparison.Ordinal)).ToArray();
        Assert.That(lines, Has.Length.EqualTo(1), error);
        Assert.That(lines[0], Does.StartWith("vaegpu: error:"));
        return lines[0];
    }
}
