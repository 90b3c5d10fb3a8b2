using System.Globalization;
using VaeGpu.Tests.Data;

namespace VaeGpu.Tests.Packaging;

/// <summary>
/// The packages as a user gets them, from a feed packed from this checkout: the vaegpu tool installs and runs from any
/// folder; samples/GradientVariance, which references VaeGpu.Runtime as a package, restores, builds and gives the
/// exact path-wise gradient; and samples/TrainVae, which references the VaeGpu.Host library, trains a VAE, saves,
/// loads, encodes and scores: a broken public surface fails here.
/// </summary>
[NonParallelizable]
public class PackageTests
{
    static (int ExitCode, string Output, string Error) Dotnet(string workingDirectory, Dictionary<string, string> environment, params string[] arguments) =>
        VaegpuProcess.RunProgram("dotnet", arguments, environment, workingDirectory);

    [Test]
    public void TheToolInstallsAndTheSamplesRunFromFreshlyPackedPackages()
    {
        using var folder = new TemporaryFolder();
        string root = VaegpuProcess.RepositoryRoot(), feed = folder.File("feed");
        // A package cache of its own, so nothing packed earlier under the same version is picked up instead.
        var environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = folder.File("packages"), ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" };
        // Built apart (--artifacts-path), so neither this pack nor another test's publish changes what the other reads.
        int exitCode = 0;
        string output = "", error = "";
        foreach (var project in new[] { "VaeGpu.Kernels", "VaeGpu.Runtime", "VaeGpu.Host", "VaeGpu.Cli" })
        {
            (exitCode, output, error) = Dotnet(root, [], "pack", Path.Combine("src", project), "-c", "Release", "--artifacts-path", folder.File("artifacts"), "-o", feed);
            Assert.That(exitCode, Is.Zero, output + error);
        }
        Assert.That(Directory.GetFiles(feed).Select(Path.GetFileName).Order(),
            Is.EqualTo(new[] { "VaeGpu.Host.0.4.0.nupkg", "VaeGpu.Kernels.0.4.0.nupkg", "VaeGpu.Runtime.0.4.0.nupkg", "vaegpu.0.4.0.nupkg" }));

        string tools = folder.File("tools"), elsewhere = folder.File("elsewhere");
        Directory.CreateDirectory(elsewhere);
        (exitCode, output, error) = Dotnet(elsewhere, environment, "tool", "install", "--tool-path", tools, "--add-source", feed, "vaegpu", "--version", "0.4.0");
        Assert.That(exitCode, Is.Zero, output + error);
        (exitCode, output, error) = VaegpuProcess.RunProgram(Path.Combine(tools, "vaegpu"), ["devices"], new Dictionary<string, string>(), elsewhere);
        Assert.That(exitCode, Is.Zero, output + error);
        Assert.That(output + error, Does.Contain("host"));

        string sample = folder.File("sample");
        Directory.CreateDirectory(sample);
        foreach (var file in Directory.GetFiles(Path.Combine(root, "samples", "GradientVariance")))
            File.Copy(file, Path.Combine(sample, Path.GetFileName(file)));
        foreach (var props in new[] { "Directory.Build.props", "Directory.Packages.props" })
            File.Copy(Path.Combine(root, "samples", props), Path.Combine(folder.Path, props));
        // The feed beside the sources the machine is configured with.
        File.WriteAllText(Path.Combine(sample, "nuget.config"),
            $"""<?xml version="1.0" encoding="utf-8"?><configuration><packageSources><add key="vaegpu" value="{feed}" /></packageSources></configuration>""");
        (exitCode, output, error) = Dotnet(sample, environment, "run", "-c", "Release", "--", "0.5", "1.5", "1", "host");
        Assert.That(exitCode, Is.Zero, output + error);
        var pathwise = output.Split('\n').Single(line => line.StartsWith("Pathwise", StringComparison.Ordinal));
        double meanMu = double.Parse(pathwise.Split("mean d/dmu")[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        Assert.That(meanMu, Is.EqualTo(-1.0).Within(0.02), "2 (mu - k), from 2^20 samples of variance 9");
        Assert.That(output, Does.Contain("Score"));

        // samples/TrainVae references only VaeGpu.Host (and so Runtime and Kernels) as packages: it trains, saves,
        // loads, encodes and scores.
        string trainSample = folder.File("train-sample");
        Directory.CreateDirectory(trainSample);
        foreach (var file in Directory.GetFiles(Path.Combine(root, "samples", "TrainVae")))
            File.Copy(file, Path.Combine(trainSample, Path.GetFileName(file)));
        File.Copy(Path.Combine(sample, "nuget.config"), Path.Combine(trainSample, "nuget.config"));
        var images = Model.SyntheticImages.Make(400, 64, seed: 1);
        string data = NpyWriter.UnsignedBytes(folder.File("images.npy"), [400, 8, 8], images.Bytes);
        (exitCode, output, error) = Dotnet(trainSample, environment, "run", "-c", "Release", "--", data, "10", "host");
        Assert.That(exitCode, Is.Zero, output + error);
        var losses = output.Split('\n').Where(line => line.StartsWith("epoch ", StringComparison.Ordinal))
            .Select(line => double.Parse(line.Split("-ELBO ")[1].Split(' ')[0], CultureInfo.InvariantCulture)).ToList();
        Assert.That(losses, Has.Count.EqualTo(10));
        Assert.That(losses[^1], Is.LessThan(losses[0]), output);
        var scores = output.Split('\n').Where(line => line.StartsWith("image ", StringComparison.Ordinal))
            .Select(line => double.Parse(line.Split("log p(x) >= ")[1], CultureInfo.InvariantCulture)).ToList();
        Assert.That(scores, Has.Count.EqualTo(4).And.All.LessThan(0).And.All.GreaterThan(-100), output);
        Assert.That(output, Does.Match("on host.*: trained 10 epochs, saved, loaded, encoded and scored"));
        Assert.That(File.Exists(Path.Combine(trainSample, "model.safetensors")));
    }
}
