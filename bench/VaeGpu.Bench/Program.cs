using VaeGpu.Runtime;
using System.Diagnostics;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using VaeGpu.Bench;

// dotnet run -c Release --project bench/VaeGpu.Bench -- --filter '*MatMul*'   (or bench/run.sh)
// Jobs come from the classes' [SteadyJob]/[SimulatorJob], columns from their [Config]; this config adds what every
// class shares. Exit code: 0 when every selected case ran, 1 when one failed, 2 when the filter selected nothing.

var clock = Stopwatch.StartNew();
// Ours = this host process plus the children it has reaped: BenchmarkDotNet's build and one process per case.
var loadAtStart = MachineLoad.Read(Environment.ProcessId, includeReapedChildren: true);

var config = DefaultConfig.Instance
    // Allocated column: the host path promises no allocation in steady state.
    .AddDiagnoser(MemoryDiagnoser.Default, new MachineLoadDiagnoser())
    .WithArtifactsPath(ArtifactsPath())
    // Shape names such as "dW decoder A^T 400x784x128" exceed the default 20 characters; a 0% Others or 0 B
    // Allocated reads better as a number than as BenchmarkDotNet's "-".
    .WithSummaryStyle(SummaryStyle.Default.WithMaxParameterColumnWidth(40).WithZeroMetricValuesInContent());

var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config).ToList();

var loadAtEnd = MachineLoad.Read(Environment.ProcessId, includeReapedChildren: true);
Console.WriteLine();
if (loadAtStart is { } start && loadAtEnd is { } end)
{
    var (busy, ours, others) = MachineLoad.Between(start, end);
    Console.WriteLine($"Machine load over the run: {100 * busy:F0}% of {Environment.ProcessorCount} cores busy " +
                      $"(this suite {100 * ours:F0}%, others {100 * others:F0}%), wall time {clock.Elapsed.TotalSeconds:F0} s.");
}
else
{
    Console.WriteLine($"Machine load: /proc/stat not readable here; wall time {clock.Elapsed.TotalSeconds:F0} s.");
}

string[] informational = ["--list", "--help", "-h", "--info", "--version", "-?"];
if (summaries.Count == 0)
{
    if (args.Any(arg => informational.Contains(arg, StringComparer.OrdinalIgnoreCase))) return 0;
    Console.Error.WriteLine("No benchmark ran: check --filter (try --list flat).");
    return 2;
}

var failed = summaries
    .SelectMany(summary => summary.BenchmarksCases.Where(c => !summary.HasReport(c) || !summary[c]!.Success)
        .Select(c => c.DisplayInfo)
        .Concat(summary.HasCriticalValidationErrors ? [$"{summary.Title}: critical validation errors"] : []))
    .ToList();
foreach (var name in failed) Console.Error.WriteLine($"FAILED: {name}");
return failed.Count == 0 ? 0 : 1;

/// <summary>BenchmarkDotNet.Artifacts beside the project file, wherever the command was started from.</summary>
static string ArtifactsPath()
{
    for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        if (File.Exists(Path.Combine(folder.FullName, "VaeGpu.Bench.csproj")))
            return Path.Combine(folder.FullName, "BenchmarkDotNet.Artifacts");
    return Path.Combine(Directory.GetCurrentDirectory(), "BenchmarkDotNet.Artifacts");
}
