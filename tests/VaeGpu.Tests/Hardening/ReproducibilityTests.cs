using VaeGpu.Tests.Data;

namespace VaeGpu.Tests.Hardening;

/// <summary>
/// The host path's bits depend on OpenBLAS's thread count (issue 11, cause 12): metrics.csv records it per epoch, the
/// checkpoint records the arithmetic it was saved on, and a resume on other arithmetic says so.
/// </summary>
public class ReproducibilityTests
{
    [Test]
    public void ResumingWithAnotherBlasThreadCountWarns()
    {
        using var folder = new TemporaryFolder();
        string data = IdxWriter.WriteDataSet(folder.File("data"), 64, 32, 8, 8), run = folder.File("run");
        string[] Train(int epochs, params string[] more) =>
            ["train", "--data", data, "--out", run, "--epochs", $"{epochs}", "--hidden", "16", "--latent", "2", "--device", "host", .. more];

        var (exitCode, _, error) = VaegpuProcess.RunWith(new Dictionary<string, string> { ["OPENBLAS_NUM_THREADS"] = "2" }, Train(1));
        Assert.That(exitCode, Is.Zero, error);
        if (!error.Contains("OpenBLAS")) Assert.Ignore("no OpenBLAS here: the managed product has no thread count to record");
        Assert.That(error, Does.Contain("2 threads"));

        (exitCode, _, error) = VaegpuProcess.RunWith(new Dictionary<string, string> { ["OPENBLAS_NUM_THREADS"] = "1" }, Train(2, "--resume"));
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(error, Does.Contain("warning: this run was saved on host (OpenBLAS").And.Contain("2 threads) and resumes on").And.Contain("1 thread)"));

        (exitCode, _, error) = VaegpuProcess.RunWith(new Dictionary<string, string> { ["OPENBLAS_NUM_THREADS"] = "1" }, Train(3, "--resume"));
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(error, Does.Not.Contain("warning"), "same arithmetic as it was saved with");

        var metrics = File.ReadAllLines(Path.Combine(run, "metrics.csv"));
        Assert.That(metrics[0], Does.EndWith(",blas_threads"));
        Assert.That(metrics[1..].Select(row => row.Split(',')[^1]), Is.EqualTo(new[] { "2", "1", "1" }), "each epoch's OpenBLAS thread count");
    }
}
