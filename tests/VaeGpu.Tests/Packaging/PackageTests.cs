using System.Globalization;
using VaeGpu.Tests.Data;

namespace VaeGpu.Tests.Packaging;

/// <summary>
/// The packages as a user gets them, from a feed packed from this checkout: the vaegpu tool installs and runs from any
/// folder, and samples/GradientVariance, which references VaeGpu.Runtime as a package, restores, builds and gives the
/// exact path-wise gradient, so a broken public surface fails here.
/// </summary>
[NonParallelizable]
public class PackageTests
{
    static (int ExitCode, string Output, string Error) Dotnet(string workingDirectory, Dictionary<string, string> environment, params string[] arguments) =>
        VaegpuProcess.RunProgram("dotnet", arguments, environment, workingDirectory);

    [Test]
    public void TheToolInstallsAndTheSampleRunsFromFreshlyPackedPackages()
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
    }
}
