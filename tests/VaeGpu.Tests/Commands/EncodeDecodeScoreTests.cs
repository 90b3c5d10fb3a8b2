using System.Globalization;
using VaeGpu.Host;
using VaeGpu.Host.Data;
using VaeGpu.Host.Model;
using VaeGpu.Host.Training;
using VaeGpu.Runtime.HostPath;
using VaeGpu.Tests.Data;
using VaeGpu.Tests.Model;

namespace VaeGpu.Tests.Commands;

/// <summary>
/// `vaegpu encode`, `decode` and `score` on a seeded 64-16-3 model and 8x8 images: encode's means and log-variances
/// equal the encoder computed here in double from the model file; decode gives sample's decoder output bit for bit
/// and reconstructions from encode's codes; the mean of score is eval's bound; shards concatenate to the whole; bad
/// input is one line, exit 2 and nothing written.
/// </summary>
public class EncodeDecodeScoreTests : TemporaryFolderTests
{
    const int Images = 40;

    (string Model, string Data) ModelAndData()
    {
        string model = TestModels.Save(Folder.File("model.safetensors"), [16]);
        var images = SyntheticImages.Make(Images, 64, seed: 3);
        string data = NpyWriter.Floats(Folder.File("images.npy"), [Images, 8, 8], images.Pixels());
        return (model, data);
    }

    static float[] ReadFloats(string path, out int count)
    {
        var array = NpyFile.ReadImages(path);
        count = array.Count;
        return array.Floats!;
    }

    [Test]
    public void EncodeWritesTheEncodersMeansAndLogVariances()
    {
        var (model, data) = ModelAndData();
        string codes = Folder.File("z.npy");
        var (exitCode, _, error) = VaegpuProcess.Run("encode", "--model", model, "--data", data, "--split", "all", "--out", codes, "--device", "host");
        Assert.That(exitCode, Is.Zero, error);
        var written = ReadFloats(codes, out int count);
        Assert.That(count, Is.EqualTo(Images));

        // The encoder in double from the file's tensors: h = relu(x W0 + b0), head = h W1 + b1.
        var (config, parameters) = ModelFile.Load(model);
        var layout = new ParameterLayout(config);
        var pixels = SyntheticImages.Make(Images, 64, seed: 3).Pixels();
        for (int image = 0; image < Images; image++)
        {
            double[] input = pixels.AsSpan(image * 64, 64).ToArray().Select(v => (double)v).ToArray();
            foreach (var layer in layout.Encoder)
            {
                var output = new double[layer.Outputs];
                for (int o = 0; o < layer.Outputs; o++)
                {
                    double sum = parameters[layer.BiasOffset + o];
                    for (int i = 0; i < layer.Inputs; i++) sum += input[i] * parameters[layer.WeightOffset + i * layer.Outputs + o];
                    output[o] = MatMulReference.Activate(layer.Activation, sum);
                }
                input = output;
            }
            for (int j = 0; j < 2 * config.Latent; j++)
                Assert.That(written[image * 2 * config.Latent + j], Is.EqualTo(input[j]).Within(1e-5), $"image {image}, column {j}");
        }
    }

    [Test]
    public void DecodeGivesSamplesDecoderOutputAndReconstructionsFromEncodesCodes()
    {
        var (model, data) = ModelAndData();
        using var backend = new HostBackend();
        var vae = Vae.Load(backend, model);

        // The prior draws `sample --seed 1` decodes, written as codes: decode must give its images bit for bit.
        var draws = backend.Allocate(9, vae.Config.Latent);
        backend.FillNormal(draws, 1, RandomStreams.PriorSamples(0));
        string prior = Folder.File("prior.npy"), decoded = Folder.File("decoded.npy");
        NpyFile.WriteFloats(prior, backend.Download(draws), 9, vae.Config.Latent);
        var (exitCode, _, error) = VaegpuProcess.Run("decode", "--model", model, "--latent", prior, "--out", decoded, "--device", "host");
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(ReadFloats(decoded, out _), Is.EqualTo(vae.Sample(9, seed: 1)));

        // encode's [N, 2 latent] codes decode from their means: the reconstructions.
        string codes = Folder.File("z.npy"), reconstructed = Folder.File("x.npy"), picture = Folder.File("x.png");
        Assert.That(VaegpuProcess.Run("encode", "--model", model, "--data", data, "--split", "all", "--out", codes, "--device", "host").ExitCode, Is.Zero);
        Assert.That(VaegpuProcess.Run("decode", "--model", model, "--latent", codes, "--out", reconstructed, "--device", "host").ExitCode, Is.Zero);
        Assert.That(ReadFloats(reconstructed, out _), Is.EqualTo(vae.Reconstruct(SyntheticImages.Make(Images, 64, seed: 3).Pixels())));
        Assert.That(VaegpuProcess.Run("decode", "--model", model, "--latent", codes, "--out", picture, "--device", "host").ExitCode, Is.Zero);
        Assert.That(File.ReadAllBytes(picture)[1..4], Is.EqualTo("PNG"u8.ToArray()));
    }

    [Test]
    public void TheMeanScoreIsEvalsBoundAndShardsConcatenateToTheWhole()
    {
        var (model, data) = ModelAndData();
        string whole = Folder.File("scores.csv");
        string[] common = ["--model", model, "--data", data, "--iw", "20", "--seed", "7", "--batch", "2", "--device", "host"];
        var (exitCode, _, error) = VaegpuProcess.Run(["score", .. common, "--out", whole]);
        Assert.That(exitCode, Is.Zero, error);
        var rows = File.ReadAllLines(whole);
        Assert.That(rows[0], Is.EqualTo("image,log_likelihood"));
        var scores = rows[1..].Select(row => double.Parse(row.Split(',')[1], CultureInfo.InvariantCulture)).ToArray();
        Assert.That(scores, Has.Length.EqualTo(4), "the default split is the test images: 10% of 40");

        var (evalExit, evalOutput, evalError) = VaegpuProcess.Run(["eval", .. common]);
        Assert.That(evalExit, Is.Zero, evalError);
        double bound = double.Parse(evalOutput.Split("log p(x) >= ")[1].Split(' ')[0], CultureInfo.InvariantCulture);
        Assert.That(scores.Average(), Is.EqualTo(bound).Within(0.005));

        var shards = new List<string>();
        foreach (string shard in new[] { "0/3", "1/3", "2/3" })
        {
            string part = Folder.File($"part-{shard[0]}.csv");
            Assert.That(VaegpuProcess.Run(["score", .. common, "--shard", shard, "--out", part]).ExitCode, Is.Zero);
            shards.AddRange(File.ReadAllLines(part)[1..]);
        }
        Assert.That(shards, Is.EqualTo(rows[1..]));

        string numpy = Folder.File("scores.npy");
        string[] withK = [.. common.Select(word => word == "--iw" ? "--k" : word)];
        Assert.That(VaegpuProcess.Run(["score", .. withK, "--out", numpy]).ExitCode, Is.Zero);
        Assert.That(new FileInfo(numpy).Length, Is.EqualTo(128 + 8 * 4), "a float64 [4, 1] array after numpy's 128-byte header");
    }

    [Test]
    public void BadInputIsOneLineAndWritesNothing()
    {
        var (model, data) = ModelAndData();
        string output = Folder.File("out.npy");
        Assert.That(VaegpuProcess.RunExpectingUserError("encode", "--model", model, "--data", data, "--out", Folder.File("z.txt")), Does.Contain(".npy"));
        string bytes = NpyWriter.UnsignedBytes(Folder.File("bytes.npy"), [2, 3], new byte[6]);
        Assert.That(VaegpuProcess.RunExpectingUserError("decode", "--model", model, "--latent", bytes, "--out", output), Does.Contain("float32"));
        string wide = NpyWriter.Floats(Folder.File("wide.npy"), [2, 5], new float[10]);
        Assert.That(VaegpuProcess.RunExpectingUserError("decode", "--model", model, "--latent", wide, "--out", output), Does.Contain("3 latent dimensions"));
        string nan = NpyWriter.Floats(Folder.File("nan.npy"), [1, 3], [0f, float.NaN, 1f]);
        Assert.That(VaegpuProcess.RunExpectingUserError("decode", "--model", model, "--latent", nan, "--out", output), Does.Contain("NaN"));
        Assert.That(VaegpuProcess.RunExpectingUserError("score", "--model", model, "--data", data, "--iw", "0", "--out", output), Does.Contain("--iw 0"));
        Assert.That(VaegpuProcess.RunExpectingUserError("score", "--model", data, "--data", data, "--out", output), Does.Contain(data));
        string other = TestModels.Save(Folder.File("other.safetensors"), [16]);
        Assert.That(VaegpuProcess.RunExpectingUserError("score", "--model", model, "--data", data, "--out", other), Does.Contain("other than a NumPy .npy file").Or.Contain("name a .npy"));
        Assert.That(File.Exists(output), Is.False);
        Assert.That(Directory.GetFiles(Folder.Path).Select(Path.GetFileName).Order(), Is.EqualTo(new[] { "bytes.npy", "images.npy", "model.safetensors", "nan.npy", "other.safetensors", "wide.npy" }));
    }
}
