using System.Text.Json;
using VaeGpu.Tests.Data;

namespace VaeGpu.Tests.Experiments;

/// <summary>`vaegpu variance gamma|beta|vonmises` and `vaegpu merge` of their shards through the real program.</summary>
public class ImplicitVarianceCommandTests
{
    static string[] Gamma(string seed = "3") => ["variance", "gamma", "--alpha", "0.5", "--cost", "log", "--samples", "200000", "--seed", seed, "--device", "host"];

    /// <summary>Issue 21's check: the implicit mean within 4 standard errors of the exact gradient, every key of the JSON there.</summary>
    [Test]
    public void JsonHasTheExactGradientsAndEveryEstimator()
    {
        var (exitCode, output, error) = VaegpuProcess.Run([.. Gamma(), "--json"]);
        Assert.That(exitCode, Is.Zero, error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.That(root.GetProperty("distribution").GetString(), Is.EqualTo("gamma"));
        Assert.That(root.GetProperty("cost").GetString(), Is.EqualTo("log"));
        Assert.That(root.GetProperty("samples").GetInt64(), Is.EqualTo(200_000));
        // d/dalpha E[log z] = trigamma(1/2) = pi^2 / 2; d/dbeta = -1 / beta.
        Assert.That(root.GetProperty("exact").GetProperty("alpha").GetDouble(), Is.EqualTo(Math.PI * Math.PI / 2).Within(1e-9));
        Assert.That(root.GetProperty("exact").GetProperty("beta").GetDouble(), Is.EqualTo(-1).Within(1e-9));
        var estimators = root.GetProperty("estimators");
        Assert.That(estimators.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "implicit", "score", "score_baseline" }));
        foreach (var estimator in estimators.EnumerateObject())
            foreach (string parameter in new[] { "alpha", "beta" })
            {
                var entry = estimator.Value.GetProperty(parameter);
                foreach (string key in new[] { "mean", "standard_error", "variance_per_draw", "exact_variance" })
                    Assert.That(entry.GetProperty(key).ValueKind, Is.EqualTo(JsonValueKind.Number), $"{estimator.Name} {parameter} {key}");
            }
        var alpha = estimators.GetProperty("implicit").GetProperty("alpha");
        Assert.That(alpha.GetProperty("mean").GetDouble(), Is.EqualTo(Math.PI * Math.PI / 2).Within(4 * alpha.GetProperty("standard_error").GetDouble()));
        Assert.That(alpha.GetProperty("exact_variance").GetDouble(),
            Is.LessThan(estimators.GetProperty("score").GetProperty("alpha").GetProperty("exact_variance").GetDouble()));
    }

    [Test]
    public void TheTableComparesEachVarianceWithTheImplicitEstimators()
    {
        var (exitCode, output, error) = VaegpuProcess.Run("variance", "vonmises", "--kappa", "3", "--samples", "1e5", "--device", "host");
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(output, Does.Contain("x implicit").And.Contain("score_baseline  kappa").And.Contain("von Mises(0, kappa 3)"));
    }

    /// <summary>Beta's implicit estimator goes through two Gammas: its exact variance is not computed, so the JSON says null.</summary>
    [Test]
    public void BetasImplicitEstimatorHasNoExactVariance()
    {
        var (exitCode, output, error) = VaegpuProcess.Run("variance", "beta", "--samples", "70000", "--json", "--device", "host");
        Assert.That(exitCode, Is.Zero, error);
        using var json = JsonDocument.Parse(output);
        var estimators = json.RootElement.GetProperty("estimators");
        Assert.That(estimators.GetProperty("implicit").GetProperty("alpha").GetProperty("exact_variance").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(estimators.GetProperty("score").GetProperty("alpha").GetProperty("exact_variance").GetDouble(), Is.GreaterThan(0));
    }

    [Test]
    public void SameSeedSameNumbers()
    {
        string[] run = ["variance", "beta", "--alpha", "0.7", "--beta", "2", "--cost", "square", "--samples", "70000", "--json", "--device", "host"];
        var (first, second) = (VaegpuProcess.Run(run), VaegpuProcess.Run(run));
        Assert.That(first.ExitCode, Is.Zero, first.Error);
        using JsonDocument a = JsonDocument.Parse(first.Output), b = JsonDocument.Parse(second.Output);
        Assert.That(a.RootElement.GetProperty("estimators").GetRawText(), Is.EqualTo(b.RootElement.GetProperty("estimators").GetRawText()));
    }

    /// <summary>200 000 draws are 4 chunks of 2^16: three shards, merged in any order, print the single run's numbers.</summary>
    [Test]
    public void MergedShardsPrintTheSingleRun()
    {
        using var folder = new TemporaryFolder();
        var (exitCode, output, error) = VaegpuProcess.Run([.. Gamma(), "--json"]);
        Assert.That(exitCode, Is.Zero, error);
        string[] files = [.. Enumerable.Range(0, 3).Select(i => folder.File($"shard{i}.json"))];
        for (int i = 0; i < 3; i++)
        {
            var shard = VaegpuProcess.Run([.. Gamma(), "--shard", $"{i}/3", "--out", files[i]]);
            Assert.That(shard.ExitCode, Is.Zero, shard.Error);
        }
        var merged = VaegpuProcess.Run(["merge", .. files.Reverse(), "--json"]);
        Assert.That(merged.ExitCode, Is.Zero, merged.Error);
        using JsonDocument single = JsonDocument.Parse(output), combined = JsonDocument.Parse(merged.Output);
        Assert.That(combined.RootElement.GetProperty("exact").GetRawText(), Is.EqualTo(single.RootElement.GetProperty("exact").GetRawText()));
        foreach (var estimator in single.RootElement.GetProperty("estimators").EnumerateObject())
            foreach (var parameter in estimator.Value.EnumerateObject())
                foreach (string statistic in new[] { "mean", "variance_per_draw" })
                {
                    double expected = parameter.Value.GetProperty(statistic).GetDouble();
                    double actual = combined.RootElement.GetProperty("estimators").GetProperty(estimator.Name).GetProperty(parameter.Name).GetProperty(statistic).GetDouble();
                    Assert.That(actual, Is.EqualTo(expected).Within(1e-9 * Math.Abs(expected)), $"{estimator.Name} {parameter.Name} {statistic}");
                }
    }

    [Test]
    public void MergeRefusesShardsOfDifferentRuns()
    {
        using var folder = new TemporaryFolder();
        Assert.That(VaegpuProcess.Run([.. Gamma(), "--shard", "0/2", "--out", folder.File("a.json")]).ExitCode, Is.Zero);
        Assert.That(VaegpuProcess.Run([.. Gamma("4"), "--shard", "1/2", "--out", folder.File("b.json")]).ExitCode, Is.Zero);
        Assert.That(VaegpuProcess.RunExpectingUserError("merge", folder.File("a.json"), folder.File("b.json")), Does.Contain("settings"));
        Assert.That(VaegpuProcess.RunExpectingUserError("merge", folder.File("a.json")), Does.Contain("missing"));
    }

    [TestCase("gamma", "--alpha", "0")]
    [TestCase("gamma", "--alpha", "-1")]
    [TestCase("gamma", "--alpha", "NaN")]
    [TestCase("gamma", "--beta", "0")]
    [TestCase("beta", "--beta", "NaN")]
    [TestCase("vonmises", "--kappa", "0")]
    [TestCase("vonmises", "--kappa", "-2")]
    [TestCase("vonmises", "--cost", "log")]
    [TestCase("gamma", "--cost", "cos")]
    [TestCase("gamma", "--samples", "1")]
    [TestCase("beta", "--cost-parameter", "50")]
    [TestCase("gamma", "--shard", "3/2")]
    public void RejectsImpossibleOptionsWithOneLine(string distribution, string option, string value)
    {
        using var folder = new TemporaryFolder();
        string line = VaegpuProcess.RunExpectingUserError("variance", distribution, option, value, "--device", "host", "--shard", option == "--shard" ? value : "0/1", "--out", folder.File("shard.json"));
        Assert.That(line, Does.Contain(option));
        Assert.That(File.Exists(folder.File("shard.json")), Is.False);
    }
}
