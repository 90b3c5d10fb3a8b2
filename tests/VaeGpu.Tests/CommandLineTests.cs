namespace VaeGpu.Tests;

/// <summary>The vaegpu program as a user runs it: exit codes and one-line errors.</summary>
public class CommandLineTests
{
    [Test]
    public void DevicesListsTheHostAndTheCpuAccelerator()
    {
        var (exitCode, output, _) = VaegpuProcess.Run("devices");
        Assert.That(exitCode, Is.Zero);
        Assert.That(output, Does.Contain("host").And.Contain("cpu"));
    }

    [TestCase("frobnicate")]
    [TestCase("devices", "--bogus")]
    public void UnknownInputEndsWithOneErrorLine(params string[] arguments)
    {
        var (exitCode, output, error) = VaegpuProcess.Run(arguments);
        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(error, Does.StartWith("vaegpu: error:"));
        Assert.That(output, Is.Empty);
    }
}
