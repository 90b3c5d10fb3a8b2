using VaeGpu.Cli.Experiments;
using System.Text.Json;
using VaeGpu.Host.Experiments.GradientEstimators;
using VaeGpu.Tests.Data;

namespace VaeGpu.Tests.Experiments;

/// <summary>`vaegpu variance gaussian` and `vaegpu merge` through the real program.</summary>
public class VarianceCommandTests
{
    static string[] Run(string seed = "3") => ["variance", "gaussian", "--cost", "cos", "--cost-parameter", "2", "--samples", "600000", "--seed", seed, "--device", "host"];

    [Test]
    public void JsonHasTheGradientsAndEveryEstimator()
    {
        var (exitCode, output, error) = VaegpuProcess.Run([.. Run(), "--json"]);
        Assert.That(exitCode, Is.Zero, error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.That(root.GetProperty("cost").GetString(), Is.EqualTo("cos"));
        Assert.That(root.GetProperty("samples").GetInt64(), Is.EqualTo(600_000));
        foreach (string key in new[] { "k", "mu", "sigma", "samples_per_second" }) Assert.That(root.GetProperty(key).GetDouble(), Is.GreaterThan(0), key);
        // d/dmu cos(k x) at mu = sigma = 1, k = 2: -k sin(k) exp(-k^2 / 2).
        Assert.That(root.GetProperty("exact").GetProperty("mu").GetDouble(), Is.EqualTo(-2 * Math.Sin(2) * Math.Exp(-2)).Within(1e-10));
        var estimators = root.GetProperty("estimators");
        foreach (string name in new[] { "score", "score_baseline", "pathwise" })
            foreach (string parameter in new[] { "mu", "sigma" })
            {
                var entry = estimators.GetProperty(name).GetProperty(parameter);
                Assert.That(entry.GetProperty("mean").ValueKind, Is.EqualTo(JsonValueKind.Number), $"{name} {parameter}");
                Assert.That(entry.GetProperty("variance").GetDouble(), Is.GreaterThan(0), $"{name} {parameter}");
                Assert.That(entry.GetProperty("exact_variance").GetDouble(), Is.GreaterThan(0), $"{name} {parameter}");
            }
    }

    /// <summary>600 000 samples are 3 chunks of 2^18: three shards of one chunk each, merged, print the single run's numbers.</summary>
    [Test]
    public void MergedShardsPrintTheSingleRun()
    {
        using var folder = new TemporaryFolder();
        var (exitCode, output, error) = VaegpuProcess.Run([.. Run(), "--json"]);
        Assert.That(exitCode, Is.Zero, error);
        string[] files = [.. Enumerable.Range(0, 3).Select(i => folder.File($"shard{i}.json"))];
        for (int i = 0; i < 3; i++)
        {
            var shard = VaegpuProcess.Run([.. Run(), "--shard", $"{i}/3", "--out", files[i]]);
            Assert.That(shard.ExitCode, Is.Zero, shard.Error);
        }
        var merged = VaegpuProcess.Run(["merge", .. files.Reverse(), "--json"]);
        Assert.That(merged.ExitCode, Is.Zero, merged.Error);

        using JsonDocument single = JsonDocument.Parse(output), combined = JsonDocument.Parse(merged.Output);
        foreach (var estimator in single.RootElement.GetProperty("estimators").EnumerateObject())
            foreach (var parameter in estimator.Value.EnumerateObject())
                foreach (string statistic in new[] { "mean", "variance" })
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
        Assert.That(VaegpuProcess.Run([.. Run(), "--shard", "0/2", "--out", folder.File("a.json")]).ExitCode, Is.Zero);
        Assert.That(VaegpuProcess.Run([.. Run("4"), "--shard", "1/2", "--out", folder.File("b.json")]).ExitCode, Is.Zero);
        string line = VaegpuProcess.RunExpectingUserError("merge", folder.File("a.json"), folder.File("b.json"));
        Assert.That(line, Does.Contain("settings"));
        Assert.That(VaegpuProcess.RunExpectingUserError("merge", folder.File("a.json")), Does.Contain("missing"));
    }

    [Test]
    public void SweepWritesTheCsvAndAChartPerCostAndParameter()
    {
        using var folder = new TemporaryFolder();
        var (exitCode, output, error) = VaegpuProcess.Run("variance", "gaussian", "--sweep", "--samples", "1e4", "--device", "host", "--out", folder.Path);
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(output, Does.Contain("score_baseline d/dsigma"));
        // Header, then 3 costs x 25 k x 3 estimators x 2 parameters.
        Assert.That(File.ReadAllLines(folder.File(VarianceSweepReport.CsvFile)), Has.Length.EqualTo(1 + 3 * VarianceSweep.Points * GaussianGradientExperiment.Estimators.Length * 2));
        foreach (string chart in new[] { "variance-quadratic-mu.png", "variance-exp-sigma.png", "variance-cos-mu.png" })
            Assert.That(new FileInfo(folder.File(chart)).Length, Is.GreaterThan(1000), chart);
    }

    /// <summary>--k is draws per image in the other commands: the former spelling of --cost-parameter still works, and warns once.</summary>
    [Test]
    public void TheFormerKStillSetsTheCostParameterAndWarns()
    {
        string[] Cos(string option) => ["variance", "gaussian", "--cost", "cos", option, "2", "--samples", "1e4", "--json", "--device", "host"];
        var (exitCode, current, error) = VaegpuProcess.Run(Cos("--cost-parameter"));
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(error, Does.Not.Contain("warning"));
        (exitCode, var former, error) = VaegpuProcess.Run(Cos("--k"));
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(error.Split('\n').Where(line => line.Contains("warning")), Is.EqualTo(new[] { "vaegpu: warning: --k is deprecated for variance gaussian; use --cost-parameter" }));
        using JsonDocument currentJson = JsonDocument.Parse(current), formerJson = JsonDocument.Parse(former);
        Assert.That(formerJson.RootElement.GetProperty("k").GetDouble(), Is.EqualTo(2));
        Assert.That(formerJson.RootElement.GetProperty("estimators").GetRawText(), Is.EqualTo(currentJson.RootElement.GetProperty("estimators").GetRawText()));
    }

    [TestCase("--sigma", "0")]
    [TestCase("--cost", "cubic")]
    [TestCase("--cost-parameter", "200")]
    [TestCase("--shard", "3/2")]
    [TestCase("--samples", "1.5")]
    public void RejectsImpossibleOptionsWithOneLine(string option, string value)
    {
        using var folder = new TemporaryFolder();
        string line = VaegpuProcess.RunExpectingUserError("variance", "gaussian", option, value, "--device", "host", "--out", folder.File("shard.json"));
        Assert.That(line, Does.Contain(option));
        Assert.That(File.Exists(folder.File("shard.json")), Is.False);
    }

    [Test]
    public void ASamplerRunPrintsEachEstimatorsVarianceReduction()
    {
        var (exitCode, output, error) = VaegpuProcess.Run("variance", "gaussian", "--cost", "cos", "--samples", "65536", "--sampler", "rqmc", "--replicates", "8", "--json", "--device", "host");
        Assert.That(exitCode, Is.Zero, error);
        using var json = System.Text.Json.JsonDocument.Parse(output);
        Assert.That(json.RootElement.GetProperty("sampler").GetString(), Is.EqualTo("rqmc"));
        Assert.That(json.RootElement.GetProperty("draws").GetInt64(), Is.EqualTo(65536));
        var estimators = json.RootElement.GetProperty("estimators");
        Assert.That(estimators.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "score", "score_baseline", "pathwise", "pathwise_delta", "measure_valued" }));
        Assert.That(estimators.GetProperty("pathwise").GetProperty("mu").GetProperty("reduction").GetDouble(), Is.GreaterThan(100));
    }

    [TestCase("--sampler rqmc --replicates 1", "--replicates 1")]
    [TestCase("--replicates 8", "--replicates is for")]
    [TestCase("--sampler stratified --sweep", "--sweep")]
    [TestCase("--sampler rqmc --shard 0/2 --out x.json", "--shard")]
    [TestCase("--sampler antithetic --samples 20 --replicates 16", "--samples 20")]
    public void ImpossibleSamplerOptionsAreOneLineErrors(string options, string named) =>
        Assert.That(VaegpuProcess.RunExpectingUserError(["variance", "gaussian", .. options.Split(' '), "--device", "host"]), Does.Contain(named));
}
