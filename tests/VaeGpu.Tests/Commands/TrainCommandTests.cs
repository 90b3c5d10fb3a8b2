using System.Globalization;
using VaeGpu.Host.SafeTensors;
using VaeGpu.Tests.Data;

namespace VaeGpu.Tests.Commands;

/// <summary>`vaegpu train`, `eval` and `sample` end to end on a tiny IDX data set, through the real program.</summary>
public class TrainCommandTests
{
    TemporaryFolder folder = null!;
    string data = null!, run = null!;

    [SetUp]
    public void CreateDataSet()
    {
        folder = new TemporaryFolder();
        data = Directory.CreateDirectory(folder.File("data")).FullName;
        run = folder.File("run");
        var random = new Random(3);
        byte[] Images(int count) => Enumerable.Range(0, count * 64).Select(i => (byte)((i / 64 % 2 == 0) == (i % 8 < 4) ? 230 : random.Next(20))).ToArray();
        IdxWriter.WriteImages(Path.Combine(data, "train-images-idx3-ubyte.gz"), 96, 8, 8, gzip: true, Images(96));
        IdxWriter.WriteImages(Path.Combine(data, "t10k-images-idx3-ubyte"), 40, 8, 8, gzip: false, Images(40));
        IdxWriter.WriteLabels(Path.Combine(data, "t10k-labels-idx1-ubyte"), Enumerable.Range(0, 40).Select(i => (byte)(i % 2)).ToArray(), gzip: false);
    }

    [TearDown]
    public void RemoveFolder() => folder.Dispose();

    /// <summary>train with small-model defaults (TrainArguments).</summary>
    string[] Train(params string[] overrides) => TrainArguments.With(new()
    {
        ["--data"] = data, ["--out"] = run, ["--hidden"] = "16", ["--latent"] = "2", ["--batch"] = "32", ["--device"] = "host", ["--lr"] = "0.01",
    }, overrides);

    [Test]
    public void TrainWritesEveryFileAndResumeExtendsTheRun()
    {
        var (exitCode, output, error) = VaegpuProcess.Run(Train("--epochs", "2"));
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(output, Does.Contain("epoch   2:"));
        foreach (var name in new[] { "metrics.csv", "model.safetensors", "checkpoint.safetensors", "reconstructions.png", "samples.png", "loss.png", "manifold.png", "latent.png" })
            Assert.That(File.Exists(Path.Combine(run, name)), name);
        var metrics = File.ReadAllLines(Path.Combine(run, "metrics.csv"));
        Assert.That(metrics[0], Does.StartWith("epoch,train_loss,test_loss,seconds,samples_per_s"));
        Assert.That(metrics, Has.Length.EqualTo(3));
        double Test(string row) => double.Parse(row.Split(',')[2], CultureInfo.InvariantCulture);
        Assert.That(Test(metrics[2]), Is.LessThan(Test(metrics[1])), "the test loss falls");

        var model = SafeTensorsFile.Read(Path.Combine(run, "model.safetensors"));
        Assert.That(model.Tensors.Select(t => t.Name), Is.EqualTo(new[]
        {
            "encoder.0.weight", "encoder.0.bias", "encoder.head.weight", "encoder.head.bias",
            "decoder.0.weight", "decoder.0.bias", "decoder.output.weight", "decoder.output.bias",
        }));
        Assert.That(model.Get("encoder.0.weight").Shape, Is.EqualTo(new[] { 64, 16 }));
        Assert.That(model.Metadata["latent"], Is.EqualTo("2"));

        // A second start into the same folder is refused and changes nothing.
        byte[] before = File.ReadAllBytes(Path.Combine(run, "model.safetensors"));
        Assert.That(VaegpuProcess.RunExpectingUserError(Train("--epochs", "1")), Does.Contain("--resume"));
        Assert.That(File.ReadAllBytes(Path.Combine(run, "model.safetensors")), Is.EqualTo(before));

        (exitCode, _, error) = VaegpuProcess.Run(["train", "--data", data, "--out", run, "--resume", "--epochs", "3", "--device", "host"]);
        Assert.That(exitCode, Is.Zero, error);
        var resumed = File.ReadAllLines(Path.Combine(run, "metrics.csv"));
        Assert.That(resumed, Has.Length.EqualTo(4));
        Assert.That(resumed[1..3].Select(r => r.Split(',')[1..3]), Is.EqualTo(metrics[1..3].Select(r => r.Split(',')[1..3])), "earlier epochs are kept as they were");

        (exitCode, output, error) = VaegpuProcess.Run("eval", "--model", Path.Combine(run, "model.safetensors"), "--data", data, "--iw", "20", "--device", "host");
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(output, Does.Contain("40 test images").And.Contain("log p(x) >="));

        string samples = folder.File("samples.png");
        (exitCode, _, error) = VaegpuProcess.Run("sample", "--model", Path.Combine(run, "model.safetensors"), "--n", "9", "--out", samples, "--device", "host");
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(File.ReadAllBytes(samples)[1..4], Is.EqualTo("PNG"u8.ToArray()));
    }

    [Test]
    public void EstimatorTrainingTracksAndVarianceCommandMeasuresTheGradientNoise()
    {
        var (exitCode, _, error) = VaegpuProcess.Run(Train("--epochs", "2", "--estimator", "score_baseline", "--track-variance", "2"));
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(File.Exists(Path.Combine(run, "variance-epoch-2.csv")) && File.Exists(Path.Combine(run, "variance-epoch-2.png")));
        Assert.That(File.Exists(Path.Combine(run, "variance-epoch-1.csv")), Is.False);
        var tracked = File.ReadAllLines(Path.Combine(run, "variance-epoch-2.csv"));
        Assert.That(tracked[0], Is.EqualTo("estimator,tensor,elements,mean_variance,mean_snr,objective,k,sampler"));
        Assert.That(tracked, Has.Length.EqualTo(1 + 4 * 4), "4 estimators x 4 encoder tensors");

        string output = folder.File("variance");
        string stdout;
        (exitCode, stdout, error) = VaegpuProcess.Run("variance", "vae", "--model", Path.Combine(run, "model.safetensors"), "--data", data,
            "--samples", "20", "--estimators", "pathwise,score", "--json", "--out", output, "--device", "host");
        Assert.That(exitCode, Is.Zero, error);
        using var json = System.Text.Json.JsonDocument.Parse(stdout);
        Assert.That(json.RootElement.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "pathwise", "score" }));
        Assert.That(json.RootElement.GetProperty("score").GetProperty("encoder.0.weight").GetProperty("mean_variance").GetDouble(), Is.GreaterThan(0));
        Assert.That(File.Exists(Path.Combine(output, "variance.png")));

        Assert.That(VaegpuProcess.RunExpectingUserError("variance", "vae", "--model", Path.Combine(run, "model.safetensors"), "--data", data,
            "--estimators", "reinforce"), Does.Contain("unknown estimator 'reinforce'"));
    }

    [TestCase("--batch", "0", "--batch 0")]
    [TestCase("--lr", "-0.1", "--lr")]
    [TestCase("--latent", "0", "--latent 0")]
    [TestCase("--epochs", "0", "--epochs 0")]
    [TestCase("--hidden", "16,x", "--hidden 16,x")]
    [TestCase("--likelihood", "poisson", "poisson")]
    [TestCase("--activation", "sigmoid", "sigmoid")]
    [TestCase("--device", "cuda:3", "no device cuda:3")]
    [TestCase("--estimator", "reinforce", "reinforce")]
    [TestCase("--track-variance", "-1", "--track-variance -1")]
    public void ImpossibleOptionsAreRefusedBeforeAnythingIsWritten(string option, string value, string expected)
    {
        Assert.That(VaegpuProcess.RunExpectingUserError(Train("--epochs", "1", option, value)), Does.Contain(expected));
        Assert.That(Directory.Exists(run), Is.False);
    }

    [Test]
    public void MissingOrBrokenDataIsAOneLineError()
    {
        File.Delete(Path.Combine(data, "t10k-images-idx3-ubyte"));
        Assert.That(VaegpuProcess.RunExpectingUserError(Train("--epochs", "1")), Does.Contain("t10k-images-idx3-ubyte"));
        File.WriteAllBytes(Path.Combine(data, "t10k-images-idx3-ubyte"), [0, 0, 8, 3, 0, 0]);
        Assert.That(VaegpuProcess.RunExpectingUserError(Train("--epochs", "1")), Does.Contain("t10k-images-idx3-ubyte"));
        Assert.That(Directory.Exists(run), Is.False);
    }

    [Test]
    public void EvalAndSampleRefuseFilesThatAreNotModels()
    {
        string notAModel = folder.File("notes.txt");
        File.WriteAllText(notAModel, "hello");
        Assert.That(VaegpuProcess.RunExpectingUserError("eval", "--model", notAModel, "--data", data), Does.Contain(notAModel));
        Assert.That(VaegpuProcess.RunExpectingUserError("sample", "--model", folder.File("absent.safetensors")), Does.Contain("no such file"));
        Assert.That(VaegpuProcess.RunExpectingUserError("eval", "--model", notAModel, "--iw", "5001"), Does.Contain("--iw 5001"));
    }
}
