using System.Text.Json;
using VaeGpu.Tests.Data;
using VaeGpu.Tests.Plots;

namespace VaeGpu.Tests.Experiments;

/// <summary>`vaegpu kl-fit` through the real program.</summary>
public class KlFitCommandTests
{
    [Test]
    public void WritesFiguresAndJsonWithEveryFit()
    {
        using var folder = new TemporaryFolder();
        string run = folder.File("run");
        var (exitCode, output, error) = VaegpuProcess.Run("kl-fit", "--out", run, "--device", "host", "--iterations", "300", "--batch", "256", "--samples", "20000");
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(output, Does.Contain("forward-closed-form").And.Contain("reverse-score-function").And.Contain("reverse-pathwise")
            .And.Contain("reverse-mixture-implicit").And.Contain("KL(q||p) of each fit by the composite Simpson rule"));
        Assert.That(DecodedPng.FilesIn(run), Is.EqualTo(new[] { ".vaegpu-results", "fits.png", "kl-fit.json", "trajectories.png" }), "its marker and no temporary file left");
        Assert.That(DecodedPng.Read(Path.Combine(run, "fits.png")).Width, Is.EqualTo(2400), "three panels: forward, reverse, Rényi");
        DecodedPng.Read(Path.Combine(run, "trajectories.png"));

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "kl-fit.json")));
        var fits = json.RootElement.GetProperty("fits").EnumerateArray().ToArray();
        Assert.That(fits.Select(f => f.GetProperty("name").GetString()),
            Is.EqualTo(new[] { "forward-closed-form", "forward-sgd", "reverse-score-function", "reverse-pathwise" }));
        // The default start (0.5) is nearer the right mode (2); the forward fits sit at the mixture's mean (0).
        Assert.That(fits[0].GetProperty("mu").GetDouble(), Is.EqualTo(0).Within(0.1));
        Assert.That(fits[3].GetProperty("mu").GetDouble(), Is.EqualTo(2).Within(0.15));

        // Every Gaussian fit's KL(q || p), and the mixture q, which covers both modes with a smaller divergence.
        Assert.That(json.RootElement.GetProperty("reverse_kl_method").GetString(), Does.Contain("Simpson"));
        Assert.That(fits[3].GetProperty("reverse_kl").GetDouble(), Is.EqualTo(Math.Log(2)).Within(0.02));
        var mixture = json.RootElement.GetProperty("mixture_fit");
        Assert.That(mixture.GetProperty("name").GetString(), Is.EqualTo("reverse-mixture-implicit"));
        Assert.That(mixture.GetProperty("means").EnumerateArray().Select(m => m.GetDouble()).Order(), Is.EqualTo(new[] { -2.0, 2.0 }).Within(0.15));
        Assert.That(mixture.GetProperty("weights").EnumerateArray().Sum(w => w.GetDouble()), Is.EqualTo(1).Within(1e-12));
        Assert.That(mixture.GetProperty("reverse_kl").GetDouble(), Is.LessThan(0.01).And.LessThan(fits[3].GetProperty("reverse_kl").GetDouble()));

        // The Rényi fits, one per default alpha, with the settings that made them.
        var renyi = json.RootElement.GetProperty("renyi_fits").EnumerateArray().ToArray();
        Assert.That(renyi.Select(r => r.GetProperty("alpha").GetDouble()), Is.EqualTo(new[] { 1.0, 0.5, 0, -1, -5 }));
        Assert.That(renyi.Select(r => r.GetProperty("name").GetString()), Does.Contain("renyi-alpha=-5"));
        Assert.That(json.RootElement.GetProperty("settings").GetProperty("renyi_k").GetInt32(), Is.EqualTo(32));
        Assert.That(output, Does.Contain("renyi-alpha=1").And.Contain("D_-5(q||p)"));
    }

    [TestCase("--alphas", "1.5")]
    [TestCase("--alphas", "0.5,NaN")]
    [TestCase("--alphas", "-51")]
    [TestCase("--k", "1")]
    [TestCase("--k", "3")]
    public void ImpossibleRenyiSettingsAreOneLineAndWriteNothing(string option, string value)
    {
        using var folder = new TemporaryFolder();
        string run = folder.File("run");
        string message = VaegpuProcess.RunExpectingUserError("kl-fit", "--out", run, "--device", "host", option, value);
        Assert.That(message, Does.Contain(option == "--k" && value == "3" ? "--batch" : option));
        Assert.That(Directory.Exists(run), Is.False);
    }

    [Test]
    public void RaggedMixtureIsOneLineAndWritesNothing()
    {
        using var folder = new TemporaryFolder();
        string run = folder.File("run");
        string message = VaegpuProcess.RunExpectingUserError("kl-fit", "--out", run, "--device", "host", "--means", "-2,2,4");
        Assert.That(message, Does.Contain("2 weights, 3 means"));
        Assert.That(Directory.Exists(run), Is.False);
    }
}
