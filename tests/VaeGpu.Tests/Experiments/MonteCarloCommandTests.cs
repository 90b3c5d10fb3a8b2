using VaeGpu.Cli.Experiments;
using System.Text.Json;
using VaeGpu.Host.Experiments.MonteCarlo;
using VaeGpu.Tests.Data;

namespace VaeGpu.Tests.Experiments;

/// <summary>`vaegpu mc` through the real program.</summary>
public class MonteCarloCommandTests
{
    [Test]
    public void WritesEstimatesSweepAndChart()
    {
        using var folder = new TemporaryFolder();
        var (exitCode, output, error) = VaegpuProcess.Run("mc", "--samples", "1e4", "--max-samples", "1000", "--device", "host", "--out", folder.Path);

        Assert.That(exitCode, Is.Zero, error);
        Assert.That(output, Does.Contain("exp(z)").And.Contain("95% interval"));
        using var json = JsonDocument.Parse(File.ReadAllText(folder.File(MonteCarloReport.EstimatesFile)));
        var estimates = json.RootElement.GetProperty("estimates");
        Assert.That(estimates.GetArrayLength(), Is.EqualTo(Enum.GetValues<VaeGpu.Kernels.GaussianIntegrand>().Length));
        Assert.That(estimates[0].GetProperty("samples").GetInt64(), Is.EqualTo(10_000));
        // Header, then every function at N = 100 and 1000.
        Assert.That(File.ReadAllLines(folder.File(MonteCarloReport.SweepFile)), Has.Length.EqualTo(1 + Enum.GetValues<VaeGpu.Kernels.GaussianIntegrand>().Length * 2));
        Assert.That(new FileInfo(folder.File(MonteCarloReport.ChartFile)).Length, Is.GreaterThan(1000));
    }

    [TestCase("--sigma", "0")]
    [TestCase("--samples", "1.5")]
    [TestCase("--max-samples", "10")]
    public void RejectsImpossibleOptionsWithOneLineAndWritesNothing(string option, string value)
    {
        using var folder = new TemporaryFolder();
        string line = VaegpuProcess.RunExpectingUserError("mc", option, value, "--device", "host", "--out", folder.File("run"));
        Assert.That(line, Does.Contain(option));
        Assert.That(Directory.Exists(folder.File("run")), Is.False);
    }
}
