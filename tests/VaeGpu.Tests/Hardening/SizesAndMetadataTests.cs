using VaeGpu.Host.Data;
using VaeGpu.Host.SafeTensors;
using VaeGpu.Tests.Commands;
using VaeGpu.Tests.Data;

namespace VaeGpu.Tests.Hardening;

/// <summary>
/// Sizes and files that used to abort with a stack trace or spend gigabytes (issue 11, causes 1 to 3): absurd widths
/// and batches, oversized or lying IDX headers, model metadata that does not parse or names an impossible model,
/// and checkpoint counters that describe no possible run. Each ends in one line, exit code 2, nothing written.
/// </summary>
public class SizesAndMetadataTests
{
    TemporaryFolder folder = null!;
    string data = null!, wideData = null!, run = null!;

    [SetUp]
    public void CreateDataSets()
    {
        folder = new TemporaryFolder();
        data = IdxWriter.WriteDataSet(folder.File("data"), 64, 32, 8, 8);
        wideData = IdxWriter.WriteDataSet(folder.File("wide"), 8, 8, 28, 28);
        run = folder.File("run");
    }

    [TearDown]
    public void RemoveFolder() => folder.Dispose();

    /// <summary>train with small-model defaults (TrainArguments).</summary>
    string[] Train(string dataFolder, params string[] overrides) => TrainArguments.With(new()
    {
        ["--data"] = dataFolder, ["--out"] = run, ["--epochs"] = "1", ["--batch"] = "16", ["--hidden"] = "16", ["--latent"] = "2", ["--device"] = "host",
    }, overrides);

    [TestCase("--hidden", "1000000,1000000", "parameters, more than the 2147483647 one tensor can hold")]
    [TestCase("--hidden", "1000000", "of memory on host")]
    [TestCase("--hidden", "100000000", "every layer width must be 1 to 1048576")]
    [TestCase("--latent", "300000", "--latent 300000")]
    [TestCase("--batch", "100000000", "at batch 100000000 needs")]
    public void AbsurdSizesAreRefusedBeforeMemoryIsSpent(string option, string value, string expected)
    {
        Assert.That(VaegpuProcess.RunExpectingUserError(Train(wideData, option, value)), Does.Contain(expected));
        Assert.That(Directory.Exists(run), Is.False);
    }

    [Test]
    public void AHugeImageIsRefusedNotOverflowed()
    {
        IdxWriter.WriteImages(Path.Combine(wideData, "train-images-idx3-ubyte"), 1, 2048, 2048, gzip: false, new byte[2048 * 2048]);
        IdxWriter.WriteImages(Path.Combine(wideData, "t10k-images-idx3-ubyte"), 1, 2048, 2048, gzip: false, new byte[2048 * 2048]);
        Assert.That(VaegpuProcess.RunExpectingUserError(Train(wideData, "--hidden", "400")), Does.Contain("parameters, more than"));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void AnIdxHeaderThatPromisesMoreThanTheFileHoldsIsRefusedWithoutAllocatingIt(bool gzip)
    {
        string path = IdxWriter.Write(folder.File("lying"), IdxWriter.Bytes(IdxFile.ImagesMagic, [1_000_000_000, 1, 1], new byte[10]), gzip);
        long before = GC.GetTotalAllocatedBytes();
        var error = Assert.Throws<VaeGpu.Runtime.UserErrorException>(() => IdxFile.ReadImages(path))!;
        Assert.That(error.Message, Does.Contain("truncated: expected 1000000000 bytes of pixel data, found 10"));
        Assert.That(GC.GetTotalAllocatedBytes() - before, Is.LessThan(100L << 20), "at most the 64 MiB first buffer, never the 1 GB promised");
    }

    static IEnumerable<TestCaseData> BadModelMetadata()
    {
        yield return new TestCaseData("likelihood", "poisson", "metadata 'likelihood' is 'poisson', expected bernoulli or gaussian");
        yield return new TestCaseData("likelihood", "7", "metadata 'likelihood' is '7'");
        yield return new TestCaseData("likelihood", "", "metadata 'likelihood' is ''");
        yield return new TestCaseData("inputs", "99999999999", "metadata 'inputs' is '99999999999', expected a whole number");
        yield return new TestCaseData("inputs", "-64", "metadata 'inputs' is '-64'");
        yield return new TestCaseData("hidden", "abc", "metadata 'hidden' is 'abc'");
        yield return new TestCaseData("hidden", "99999999999", "metadata 'hidden' is '99999999999'");
        yield return new TestCaseData("hidden", "3000000", "impossible model");
        yield return new TestCaseData("latent", "100000000", "impossible model");
        yield return new TestCaseData("sigma_x", "NaN", "metadata 'sigma_x' is 'NaN'");
    }

    [TestCaseSource(nameof(BadModelMetadata))]
    public void ModelMetadataThatDoesNotParseOrDescribesNoModelIsOneLine(string key, string value, string expected)
    {
        string model = TrainedModel();
        Rewrite(model, key, value);
        foreach (var command in new[] { new[] { "eval", "--model", model, "--data", data }, ["sample", "--model", model, "--out", folder.File("s.png")] })
            Assert.That(VaegpuProcess.RunExpectingUserError(command), Does.Contain(expected), string.Join(' ', command));
        Assert.That(File.Exists(folder.File("s.png")), Is.False);
    }

    [TestCase("optimizer", "rmsprop", "metadata 'optimizer' is 'rmsprop', expected adam or sgd")]
    [TestCase("optimizer", "5", "metadata 'optimizer' is '5'")]
    [TestCase("epochs_completed", "-1", "epochs_completed = -1")]
    [TestCase("epochs_completed", "3", "1 history rows for 3 finished epochs")]
    [TestCase("step_in_epoch", "-5", "step_in_epoch = -5")]
    [TestCase("step_in_epoch", "100000", "step_in_epoch = 100000, but an epoch on this data has 4 steps")]
    [TestCase("optimizer_step", "-100", "optimizer_step = -100")]
    public void CheckpointCountersThatDescribeNoRunAreRefusedAndTheRunIsKept(string key, string value, string expected)
    {
        TrainedModel();
        string checkpoint = Path.Combine(run, "checkpoint.safetensors");
        Rewrite(checkpoint, key, value);
        byte[] metrics = File.ReadAllBytes(Path.Combine(run, "metrics.csv")), saved = File.ReadAllBytes(checkpoint);

        Assert.That(VaegpuProcess.RunExpectingUserError("train", "--data", data, "--out", run, "--resume", "--epochs", "3", "--device", "host"),
            Does.Contain(expected));
        Assert.That(File.ReadAllBytes(Path.Combine(run, "metrics.csv")), Is.EqualTo(metrics));
        Assert.That(File.ReadAllBytes(checkpoint), Is.EqualTo(saved));
    }

    /// <summary>Trains the small model for one epoch into run and returns its model file.</summary>
    string TrainedModel()
    {
        var (exitCode, _, error) = VaegpuProcess.Run(Train(data));
        Assert.That(exitCode, Is.Zero, error);
        return Path.Combine(run, "model.safetensors");
    }

    static void Rewrite(string path, string key, string value)
    {
        var content = SafeTensorsFile.Read(path);
        var metadata = content.Metadata.ToDictionary();
        metadata[key] = value;
        SafeTensorsFile.Write(path, content.Tensors, metadata);
    }
}
