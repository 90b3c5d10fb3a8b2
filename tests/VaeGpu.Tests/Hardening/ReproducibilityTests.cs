using VaeGpu.Tests.Data;

namespace VaeGpu.Tests.Hardening;

/// <summary>
/// The host path's numbers do not depend on its thread count (HostBackend cuts every product into blocks by shape
/// alone): a run resumed on another VAEGPU_HOST_THREADS ends with the bytes of an uninterrupted run, says nothing about
/// it, and metrics.csv records each epoch's thread count.
/// </summary>
public class ReproducibilityTests
{
    [Test]
    public void ResumingWithAnotherThreadCountGivesTheUninterruptedRunsBytes()
    {
        using var folder = new TemporaryFolder();
        string data = IdxWriter.WriteDataSet(folder.File("data"), 256, 64, 28, 28);
        string[] Train(string run, int epochs, params string[] more) =>
            ["train", "--data", data, "--out", run, "--epochs", $"{epochs}", "--hidden", "64", "--latent", "2", "--device", "host", .. more];
        (int, string, string) WithThreads(int threads, string[] arguments) =>
            VaegpuProcess.RunWith(new Dictionary<string, string> { ["VAEGPU_HOST_THREADS"] = $"{threads}" }, arguments);

        string whole = folder.File("whole"), resumed = folder.File("resumed");
        var (exitCode, _, error) = WithThreads(2, Train(whole, 3));
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(error, Does.Contain("2 threads"));

        (exitCode, _, error) = WithThreads(2, Train(resumed, 1));
        Assert.That(exitCode, Is.Zero, error);
        (exitCode, _, error) = WithThreads(1, Train(resumed, 3, "--resume"));
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(error, Does.Contain("1 thread").And.Not.Contain("warning"), "the same arithmetic as it was saved with");

        Assert.That(File.ReadAllBytes(Path.Combine(resumed, "model.safetensors")), Is.EqualTo(File.ReadAllBytes(Path.Combine(whole, "model.safetensors"))));
        var metrics = File.ReadAllLines(Path.Combine(resumed, "metrics.csv"));
        Assert.That(metrics[0], Does.EndWith(",host_threads"));
        Assert.That(metrics[1..].Select(row => row.Split(',')[^1]), Is.EqualTo(new[] { "2", "1", "1" }), "each epoch's host thread count");
        var losses = (string path) => File.ReadAllLines(Path.Combine(path, "metrics.csv"))[1..].Select(row => string.Join(',', row.Split(',')[1..3]));
        Assert.That(losses(resumed), Is.EqualTo(losses(whole)), "train and test losses of every epoch");
    }
}
