using System.Text.Json;
using VaeGpu.Host.Experiments.ElboGap;
using VaeGpu.Tests.Data;

namespace VaeGpu.Tests.Experiments;

/// <summary>`vaegpu elbo-gap` through the real program.</summary>
public class ElboGapCommandTests
{
    [Test]
    public void WritesTableAndChart()
    {
        using var folder = new TemporaryFolder();
        var (exitCode, output, error) = VaegpuProcess.Run("elbo-gap", "--samples", "2e4", "--device", "host", "--out", folder.Path);

        Assert.That(exitCode, Is.Zero, error);
        Assert.That(output, Does.Contain("log p(x) =").And.Contain("posterior").And.Contain("prior"));
        using var json = JsonDocument.Parse(File.ReadAllText(folder.File(ElboGapReport.TableFile)));
        var rows = json.RootElement.GetProperty("rows");
        Assert.That(rows.GetArrayLength(), Is.EqualTo(6));
        Assert.That(rows[0].GetProperty("q").GetString(), Is.EqualTo("posterior"));
        Assert.That(rows[0].GetProperty("elbo").GetDouble(), Is.EqualTo(json.RootElement.GetProperty("log_marginal").GetDouble()).Within(1e-4));
        Assert.That(new FileInfo(folder.File(ElboGapReport.ChartFile)).Length, Is.GreaterThan(1000));
    }

    [TestCase("--latent", "0")]
    [TestCase("--noise", "NaN")]
    [TestCase("--samples", "1")]
    public void RejectsImpossibleOptionsWithOneLineAndWritesNothing(string option, string value)
    {
        using var folder = new TemporaryFolder();
        string line = VaegpuProcess.RunExpectingUserError("elbo-gap", option, value, "--device", "host", "--out", folder.File("run"));
        Assert.That(line, Does.Contain(option));
        Assert.That(Directory.Exists(folder.File("run")), Is.False);
    }
}
