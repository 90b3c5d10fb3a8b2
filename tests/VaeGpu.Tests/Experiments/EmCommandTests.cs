using System.Text.Json;
using VaeGpu.Tests.Data;

namespace VaeGpu.Tests.Experiments;

/// <summary>`vaegpu em` through the real program.</summary>
public class EmCommandTests
{
    [Test]
    public void FitsTheSyntheticMixtureAndWritesItsFiles()
    {
        using var folder = new TemporaryFolder();
        var (exitCode, output, error) = VaegpuProcess.Run("em", "--n", "600", "--device", "host", "--out", folder.Path);

        Assert.That(exitCode, Is.Zero, error);
        Assert.That(output, Does.Contain("log-likelihood per point").And.Contain("true 2: weight 0.2"));
        foreach (string name in new[] { "mixture.json", "log-likelihood.png", "clusters.png" })
            Assert.That(File.Exists(folder.File(name)), name);
        using var json = JsonDocument.Parse(File.ReadAllText(folder.File("mixture.json")));
        var fitted = json.RootElement.GetProperty("fitted");
        Assert.That(fitted.GetProperty("weights").EnumerateArray().Sum(w => w.GetDouble()), Is.EqualTo(1).Within(1e-9));
        Assert.That(fitted.GetProperty("covariances")[0].GetArrayLength(), Is.EqualTo(2));
        Assert.That(json.RootElement.GetProperty("log_likelihood_per_point").GetArrayLength(), Is.GreaterThan(2));
    }

    [Test]
    public void MoreComponentsThanPointsIsAOneLineErrorNamingTheFile()
    {
        using var folder = new TemporaryFolder();
        string data = folder.File("three.csv");
        File.WriteAllText(data, "1,2\n3,4\n5,6\n");
        string line = VaegpuProcess.RunExpectingUserError("em", "--data", data, "--components", "5", "--device", "host", "--out", folder.File("out"));
        Assert.That(line, Does.Contain("three.csv").And.Contain("3 points cannot fill K = 5"));
        Assert.That(Directory.Exists(folder.File("out")), Is.False, "nothing written");
    }

    /// <summary>--k is draws per image in the other commands: em's former spelling of --components still works, and warns once.</summary>
    [Test]
    public void TheFormerKStillSetsTheComponentsAndWarns()
    {
        using var folder = new TemporaryFolder();
        var (exitCode, current, error) = VaegpuProcess.Run("em", "--n", "300", "--components", "2", "--device", "host", "--out", folder.File("current"));
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(error, Does.Not.Contain("warning"));
        (exitCode, var former, error) = VaegpuProcess.Run("em", "--n", "300", "--k", "2", "--device", "host", "--out", folder.File("former"));
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(error.Split('\n').Where(line => line.Contains("warning")), Is.EqualTo(new[] { "vaegpu: warning: --k is deprecated for em; use --components" }));
        Assert.That(former, Is.EqualTo(current).And.Contain("K = 2,"));

        Assert.That(VaegpuProcess.RunExpectingUserError("em", "--n", "300", "--k", "2", "--components", "3", "--device", "host", "--out", folder.File("both")),
            Does.Contain("give --components alone"));
    }
}
