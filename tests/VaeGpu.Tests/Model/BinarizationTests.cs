using VaeGpu.Host.Data;
using VaeGpu.Runtime.HostPath;
using VaeGpu.Tests.Data;

namespace VaeGpu.Tests.Model;

/// <summary>
/// --binarize: the host's static draw of a set is the device kernel's draw over the same elements; dynamic runs redraw
/// every step and still resume to the uninterrupted bytes; the options refuse what makes no sense.
/// </summary>
public class BinarizationTests
{
    [Test]
    public void AStaticDrawOfASetIsTheKernelsDrawOverItsElements()
    {
        // 5 pixels per image (not a multiple of a Philox block) and more than one host chunk of pixels.
        const int Count = 300_000, Pixels = 5;
        var random = new Random(2);
        var grey = new ImageSet([.. Enumerable.Range(0, Count * Pixels).Select(_ => (byte)random.Next(256))], Count, 1, Pixels, Labels: null);
        using var backend = new HostBackend();
        var tensor = backend.Allocate(Count, Pixels);
        backend.Upload(grey.Pixels(), tensor);
        backend.Binarize(tensor, seed: 6, stream: 77);
        var drawn = grey.Binarized(6, 77);
        Assert.That(drawn.Pixels(), Is.EqualTo(backend.Download(tensor)));
        Assert.That(drawn.Bytes, Is.All.EqualTo((byte)0).Or.EqualTo((byte)255));
        Assert.That(grey.Binarized(6, 78).Bytes, Is.Not.EqualTo(drawn.Bytes), "another stream, other draws");
    }

    [Test]
    public void ADynamicRunResumesToTheUninterruptedBytesAndDiffersFromStaticAndNone()
    {
        using var folder = new TemporaryFolder();
        string data = IdxWriter.WriteDataSet(folder.File("data"), 64, 32, 8, 8);
        string Run(string name, string binarize, int epochs, params string[] more)
        {
            string run = folder.File(name);
            var (exitCode, _, error) = VaegpuProcess.Run(["train", "--data", data, "--out", run, "--epochs", $"{epochs}", "--hidden", "16", "--latent", "2",
                "--batch", "16", "--binarize", binarize, "--device", "host", .. more]);
            Assert.That(exitCode, Is.Zero, error);
            Assert.That(error, Does.Contain($"binarize {binarize}"));
            return Path.Combine(run, "model.safetensors");
        }
        string whole = Run("whole", "dynamic", 2);
        Run("resumed", "dynamic", 1);
        var (code, _, stderr) = VaegpuProcess.Run("train", "--out", folder.File("resumed"), "--resume", "--epochs", "2", "--data", data, "--device", "host");
        Assert.That(code, Is.Zero, stderr);
        Assert.That(File.ReadAllBytes(Path.Combine(folder.File("resumed"), "model.safetensors")), Is.EqualTo(File.ReadAllBytes(whole)));
        string staticRun = Run("static", "static", 2), none = Run("none", "none", 2);
        Assert.That(File.ReadAllBytes(staticRun), Is.Not.EqualTo(File.ReadAllBytes(whole)));
        Assert.That(File.ReadAllBytes(none), Is.Not.EqualTo(File.ReadAllBytes(staticRun)));

        var (exit, output, evalError) = VaegpuProcess.Run("eval", "--model", whole, "--data", data, "--iw", "10", "--binarize", "static", "--device", "host");
        Assert.That(exit, Is.Zero, evalError);
        Assert.That(output, Does.Contain("binarize static"));
    }

    [Test]
    public void BinarisingForAGaussianDecoderIsRefused()
    {
        using var folder = new TemporaryFolder();
        string data = IdxWriter.WriteDataSet(folder.File("data"), 16, 8, 4, 4);
        Assert.That(VaegpuProcess.RunExpectingUserError("train", "--data", data, "--likelihood", "gaussian", "--binarize", "dynamic", "--out", folder.File("run")),
            Does.Contain("--binarize dynamic").And.Contain("Bernoulli"));
        Assert.That(Directory.Exists(folder.File("run")), Is.False);
    }
}
