using VaeGpu.Cli.Experiments;
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
        Assert.That(output, Does.Contain("IWAE_5").And.Contain("CUBO_2").And.Contain("L_0.5").And.Contain("sandwich: ELBO <= IWAE_5 <= log p(x) <= CUBO_2"));
        Assert.That(json.RootElement.GetProperty("k").GetInt32(), Is.EqualTo(5));
        var bounds = rows[1].GetProperty("bounds");
        Assert.That(bounds.EnumerateArray().Select(b => b.GetProperty("name").GetString()), Is.EqualTo(new[] { "ELBO", "L_0.5", "IWAE_5", "L_-0.5", "CUBO_2" }));
        Assert.That(bounds[0].GetProperty("estimate").GetDouble(), Is.EqualTo(rows[1].GetProperty("elbo").GetDouble()).Within(1e-5), "the same draws (summed in float on the device for the ELBO row)");
        Assert.That(rows[1].GetProperty("sandwich_holds").ValueKind, Is.AnyOf(JsonValueKind.True, JsonValueKind.False));
    }

    [Test]
    public void ASamplerRunRecordsItsReplicatesAndVarianceReduction()
    {
        using var folder = new TemporaryFolder();
        var (exitCode, output, error) = VaegpuProcess.Run("elbo-gap", "--samples", "2e4", "--sampler", "rqmc", "--replicates", "8", "--device", "host", "--out", folder.Path);

        Assert.That(exitCode, Is.Zero, error);
        Assert.That(output, Does.Contain("rqmc draws in 8 replicates").And.Contain("var red."));
        using var json = JsonDocument.Parse(File.ReadAllText(folder.File(ElboGapReport.TableFile)));
        Assert.That((json.RootElement.GetProperty("sampler").GetString(), json.RootElement.GetProperty("replicates").GetInt32()), Is.EqualTo(("rqmc", 8)));
        var prior = json.RootElement.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("q").GetString() == "prior");
        Assert.That(prior.GetProperty("variance_reduction").GetDouble(), Is.GreaterThan(10));
    }

    [TestCase("--latent", "0")]
    [TestCase("--noise", "NaN")]
    [TestCase("--samples", "1")]
    [TestCase("--replicates", "4")]
    [TestCase("--sampler rqmc --replicates", "1")]
    [TestCase("--sampler rqmc --replicates 16 --samples", "20")]
    [TestCase("--k", "1")]
    [TestCase("--k 50 --samples", "60")]
    [TestCase("--alphas", "1")]
    [TestCase("--alphas", "0.5,NaN")]
    [TestCase("--alphas", "-11")]
    public void RejectsImpossibleOptionsWithOneLineAndWritesNothing(string option, string value)
    {
        using var folder = new TemporaryFolder();
        string line = VaegpuProcess.RunExpectingUserError(["elbo-gap", .. option.Split(' '), value, "--device", "host", "--out", folder.File("run")]);
        Assert.That(line, Does.Contain(option.Split(' ')[^1]));
        Assert.That(Directory.Exists(folder.File("run")), Is.False);
    }
}
