using VaeGpu.Runtime;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace VaeGpu.Bench;

/// <summary>
/// This row's speed as a fraction of the baseline row's for the same parameters: baseline mean time / this mean time,
/// which equals this GFLOP/s / baseline GFLOP/s ("0.97x" = 3% slower). BenchmarkDotNet's own Ratio column is the
/// inverse (time over time), so MatMulConfig hides it to avoid two opposite numbers side by side. The baseline is
/// found through BenchmarkDotNet's grouping, which puts each Shape value (and job) in its own group.
/// The two rows are measured at different times, each in its own process, so a burst of someone else's work during
/// either one skews the ratio (seen here: 2x "speedups" of identical calls); such ratios get a "?" suffix.
/// </summary>
public sealed class SpeedupColumn(string name, string legend) : IColumn
{
    /// <summary>Others (MachineLoadDiagnoser) above this share of all cores, in percent, marks a ratio as doubtful.</summary>
    public const double DisturbedOthersPercent = 10;

    public string Id => $"{nameof(SpeedupColumn)}.{name}";
    public string ColumnName => name;
    public string Legend => legend;
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 1;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => summary.HasBaselines();

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var baseline = summary.GetBaseline(summary.GetLogicalGroupKey(benchmarkCase));
        if (baseline is null) return "?";
        double? baselineSeconds = ThroughputColumn.MeanSeconds(summary, baseline);
        double? seconds = ThroughputColumn.MeanSeconds(summary, benchmarkCase);
        if (baselineSeconds is null || seconds is null) return "NA";
        double speed = baselineSeconds.Value / seconds.Value;
        string text = speed.ToString(speed >= 0.01 ? "0.00" : "0.0000", summary.GetCultureInfo()) + "x";
        return Disturbed(summary, benchmarkCase) || Disturbed(summary, baseline) ? text + "?" : text;
    }

    static bool Disturbed(Summary summary, BenchmarkCase benchmarkCase) =>
        summary[benchmarkCase] is { } report
        && report.Metrics.TryGetValue(MachineLoadDiagnoser.OthersMetricId, out var others)
        && others.Value > DisturbedOthersPercent;
}
