using System.Text.Json.Nodes;
using VaeGpu.Tests.Data;

namespace VaeGpu.Tests.Hardening;

/// <summary>
/// merge checks what its shards say against the run they declare (issue 11, cause 8): a count that is not the
/// shard's range, no estimators, or a missing field is one line naming it, never a result.
/// </summary>
public class ShardTests
{
    TemporaryFolder folder = null!;
    string first = null!, second = null!;

    [SetUp]
    public void WriteShards()
    {
        folder = new TemporaryFolder();
        (first, second) = (folder.File("s0.json"), folder.File("s1.json"));
        foreach (var (path, index) in new[] { (first, 0), (second, 1) })
        {
            var (exitCode, _, error) = VaegpuProcess.Run("variance", "gaussian", "--shard", $"{index}/2", "--samples", "3000000", "--out", path, "--device", "host");
            Assert.That(exitCode, Is.Zero, error);
        }
    }

    [TearDown]
    public void RemoveFolder() => folder.Dispose();

    void Edit(string path, Action<JsonObject> change)
    {
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        change(root);
        File.WriteAllText(path, root.ToJsonString());
    }

    [Test]
    public void ShardsOfOneRunMerge()
    {
        var (exitCode, output, error) = VaegpuProcess.Run("merge", first, second);
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(output, Does.Contain("N = 3000000 samples per estimator"));
    }

    [Test]
    public void ACountThatIsNotTheShardsRangeIsRefused()
    {
        Edit(first, root => root["estimators"]!["score"]!["mu"]!["count"] = 7);
        Assert.That(VaegpuProcess.RunExpectingUserError("merge", first, second), Does.Contain("'score' mu counts 7 samples where this shard of the run covers"));
    }

    [Test]
    public void NoEstimatorsAreRefused()
    {
        Edit(first, root => root["estimators"] = new JsonObject());
        Assert.That(VaegpuProcess.RunExpectingUserError("merge", first, second), Does.Contain("it has statistics for no estimator"));
    }

    [TestCase("mu")]
    [TestCase("seed")]
    public void AMissingFieldIsNamed(string field)
    {
        Edit(first, root => root.Remove(field));
        Assert.That(VaegpuProcess.RunExpectingUserError("merge", first, second), Does.Contain($"field '{field}' is missing"));
    }
}
