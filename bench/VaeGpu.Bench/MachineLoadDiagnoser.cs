using VaeGpu.Runtime;
using System.Collections.Concurrent;
using BenchmarkDotNet.Analysers;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Validators;

namespace VaeGpu.Bench;

/// <summary>
/// Adds "Busy" and "Others" columns: how busy the machine was while each case's measured iterations ran, and how
/// much of that was not the benchmark process itself. BenchmarkDotNet signals the host just before and after the
/// actual workload iterations, so the window excludes process start, jitting, pilot and warmup. A row measured
/// while Others is high was slowed by someone else; compare rows run under similar load.
/// </summary>
public sealed class MachineLoadDiagnoser : IDiagnoser
{
    /// <summary>Id of the Others metric in a BenchmarkReport's Metrics, as a percentage.</summary>
    public const string OthersMetricId = "MachineLoad.Others";

    readonly ConcurrentDictionary<BenchmarkCase, MachineLoad> windowStart = new();
    readonly ConcurrentDictionary<BenchmarkCase, (double Busy, double Others)> results = new();

    public IEnumerable<string> Ids => ["MachineLoad"];
    public IEnumerable<IExporter> Exporters => [];
    public IEnumerable<IAnalyser> Analysers => [];

    // Reading two small /proc files in the host process at the two signals: nothing runs in the benchmark process.
    public RunMode GetRunMode(BenchmarkCase benchmarkCase) => RunMode.NoOverhead;

    public void Handle(HostSignal signal, DiagnoserActionParameters parameters)
    {
        if (parameters.Process is null) return;
        int pid;
        try { pid = parameters.Process.Id; }
        catch (InvalidOperationException) { return; }
        switch (signal)
        {
            case HostSignal.BeforeActualRun when MachineLoad.Read(pid, includeReapedChildren: false) is { } start:
                windowStart[parameters.BenchmarkCase] = start;
                break;
            case HostSignal.AfterActualRun when MachineLoad.Read(pid, includeReapedChildren: false) is { } end
                                                && windowStart.TryRemove(parameters.BenchmarkCase, out var begin):
                var (busy, _, others) = MachineLoad.Between(begin, end);
                results[parameters.BenchmarkCase] = (busy, others);
                break;
        }
    }

    public IEnumerable<Metric> ProcessResults(DiagnoserResults diagnoserResults)
    {
        var (busy, others) = results.TryGetValue(diagnoserResults.BenchmarkCase, out var load) ? load : (double.NaN, double.NaN);
        yield return new Metric(LoadMetric.Busy, 100 * busy);
        yield return new Metric(LoadMetric.Others, 100 * others);
    }

    public void DisplayResults(ILogger logger) { }

    public IEnumerable<ValidationError> Validate(ValidationParameters validationParameters) => [];

    sealed class LoadMetric(string id, string displayName, string legend, int priority) : IMetricDescriptor
    {
        public static readonly LoadMetric Busy = new("MachineLoad.Busy", "Busy",
            "share of all cores' time the machine was busy during the measured iterations (1 - idle/total from /proc/stat)", 0);
        public static readonly LoadMetric Others = new(OthersMetricId, "Others",
            "part of Busy not spent by the benchmark process (other users of this shared machine)", 1);

        public string Id => id;
        public string DisplayName => displayName;
        public string Legend => legend;
        public string NumberFormat => "0'%'";
        public UnitType UnitType => UnitType.Dimensionless;
        public string Unit => "%";
        public bool TheGreaterTheBetter => false;
        public int PriorityInCategory => priority;
        public bool GetIsAvailable(Metric metric) => true;
    }
}
