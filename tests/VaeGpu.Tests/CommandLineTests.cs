using System.Diagnostics;

namespace VaeGpu.Tests;

/// <summary>The vaegpu program as a user runs it: exit codes and one-line errors.</summary>
public class CommandLineTests
{
    static (int ExitCode, string Output, string Error) Vaegpu(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(TestContext.CurrentContext.TestDirectory, "vaegpu.dll"));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.Result);
    }

    [Test]
    public void DevicesListsTheHostAndTheCpuAccelerator()
    {
        var (exitCode, output, _) = Vaegpu("devices");
        Assert.That(exitCode, Is.Zero);
        Assert.That(output, Does.Contain("host").And.Contain("cpu"));
    }

    [TestCase("frobnicate")]
    [TestCase("devices", "--bogus")]
    public void UnknownInputEndsWithOneErrorLine(params string[] arguments)
    {
        var (exitCode, output, error) = Vaegpu(arguments);
        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(error, Does.StartWith("vaegpu: error:"));
        Assert.That(output, Is.Empty);
    }
}
