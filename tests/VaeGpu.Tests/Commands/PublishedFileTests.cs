using System.Diagnostics;
using VaeGpu.Tests.Data;

namespace VaeGpu.Tests.Commands;

/// <summary>
/// The file that ships to a GPU machine without .NET: scripts/publish.sh builds it, and it must run alone. It is
/// copied into an empty folder and run there with an empty environment: `devices`, a tiny `train` whose PNGs
/// need the image library's native code from inside the file, and `check` on the CPU accelerator.
/// </summary>
[NonParallelizable]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class PublishedFileTests
{
    TemporaryFolder folder = null!;
    string lone = null!;

    [OneTimeSetUp]
    public void Publish()
    {
        folder = new TemporaryFolder();
        var (exitCode, output, error) = Run(Path.Combine(RepositoryRoot(), "scripts", "publish.sh"), [folder.File("dist")], inheritEnvironment: true);
        Assert.That(exitCode, Is.Zero, error);
        string published = output.Trim();
        lone = Path.Combine(Directory.CreateDirectory(folder.File("alone")).FullName, "vaegpu");
        File.Copy(published, lone);
        File.SetUnixFileMode(lone, File.GetUnixFileMode(published));
    }

    [OneTimeTearDown]
    public void RemoveFolder() => folder.Dispose();

    [Test]
    public void ItIsOneFileOfTheProgram()
    {
        var entries = Directory.GetFileSystemEntries(Path.GetDirectoryName(lone)!);
        Assert.That(entries, Is.EqualTo(new[] { lone }));
        Assert.That(new FileInfo(lone).Length, Is.GreaterThan(10 << 20).And.LessThan(100 << 20), "self-contained, compressed");
    }

    [Test]
    public void ItListsDevicesWithAnEmptyEnvironment()
    {
        var (exitCode, output, error) = Run(lone, ["devices"], inheritEnvironment: false);

        Assert.That(exitCode, Is.Zero, error);
        Assert.That(output, Does.StartWith("cuda: ").And.Contain("host"));
    }

    [Test]
    public void ItTrainsAndWritesItsPicturesWithAnEmptyEnvironment()
    {
        string data = IdxWriter.WriteDataSet(folder.File("data"), 64, 32, 8, 8), run = folder.File("run");

        var (exitCode, output, error) = Run(lone,
            ["train", "--epochs", "1", "--data", data, "--out", run, "--hidden", "16", "--latent", "2", "--batch", "32", "--device", "host"],
            inheritEnvironment: false);

        Assert.That(exitCode, Is.Zero, error);
        Assert.That(output, Does.Contain("epoch   1:"));
        foreach (var name in new[] { "metrics.csv", "model.safetensors", "reconstructions.png", "samples.png", "loss.png", "manifold.png" })
            Assert.That(File.Exists(Path.Combine(run, name)), name);
    }

    [Test]
    public void ItPassesCheckOnTheCpuAcceleratorWithAnEmptyEnvironment()
    {
        var (exitCode, output, error) = Run(lone, ["check", "--device", "cpu", "--steps", "1"], inheritEnvironment: false);

        Assert.That(exitCode, Is.Zero, output + error);
        Assert.That(output, Does.Contain("checks passed on cpu").And.Not.Contain("FAIL"));
    }

    /// <summary>
    /// Without a GPU, a bundle made by scripts/gpu-bundle.sh around the lone file still gives the whole report from
    /// scripts/gpu-check.sh: devices runs, each CUDA step fails with vaegpu's one-line error, and the exit code is 1.
    /// </summary>
    [Test]
    public void TheBundledGpuCheckWritesItsReportAndFailsWithoutAGpu()
    {
        string data = IdxWriter.WriteFashionMnistLike(folder.File("idx"), 40, 20), bundle = folder.File("bundle"), report = folder.File("gpu-report");
        var (exitCode, _, error) = Run(Path.Combine(RepositoryRoot(), "scripts", "gpu-bundle.sh"), [bundle], inheritEnvironment: true,
            new Dictionary<string, string> { ["VAEGPU"] = lone, ["FASHION_MNIST"] = data, ["VAEGPU_BUNDLE_TRAIN_IMAGES"] = "32" });
        Assert.That(exitCode, Is.Zero, error);

        (exitCode, _, error) = Run(Path.Combine(bundle, "gpu-check.sh"), [bundle, report], inheritEnvironment: true);

        Assert.That(exitCode, Is.EqualTo(1), error);
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(report, "report.json")));
        var steps = json.RootElement.GetProperty("steps");
        Assert.That(steps.GetProperty("devices").GetProperty("exit").GetInt32(), Is.Zero);
        Assert.That(json.RootElement.GetProperty("devices").GetString(), Does.StartWith("cuda: "));
        foreach (var name in new[] { "check", "bench", "epoch" })
        {
            Assert.That(steps.GetProperty(name).GetProperty("exit").GetInt32(), Is.EqualTo(2), name + ": no CUDA device here");
            Assert.That(steps.GetProperty(name).GetProperty("note").GetString(), Does.StartWith("vaegpu: error: no device cuda"), name);
        }
        Assert.That(File.ReadAllText(Path.Combine(report, "report.txt")), Does.Contain("## check --device cuda").And.Contain("no device cuda"));
    }

    static string RepositoryRoot() => VaegpuProcess.RepositoryRoot();

    /// <summary>Runs a program in the lone file's folder; without the inherited environment it gets none at all.</summary>
    static (int ExitCode, string Output, string Error) Run(string program, string[] arguments, bool inheritEnvironment,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        if (!inheritEnvironment) start.Environment.Clear();
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.Result);
    }
}
