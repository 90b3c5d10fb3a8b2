using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace VaeGpu.Bench;

/// <summary>
/// Work per second from the mean time of one call: GFLOP/s for products, million samples/s for random fills.
/// Rates, unlike times, compare across shapes and sizes, and against the targets stated in GFLOP/s and samples/s.
/// </summary>
public sealed class ThroughputColumn(string name, string legend, Func<BenchmarkCase, double?> workPerCall) : IColumn
{
    /// <summary>2 M N K floating-point operations, in units of 10^9, per call.</summary>
    public static readonly ThroughputColumn GigaFlops = new("GFLOP/s",
        "2*M*N*K / mean time, in 10^9 floating-point operations per second",
        benchmarkCase => Parameter(benchmarkCase, "Shape") is GemmShape shape ? shape.Flops / 1e9 : null);

    /// <summary>Length elements, in units of 10^6, per call.</summary>
    public static readonly ThroughputColumn MegaSamples = new("Msamples/s",
        "Length / mean time, in millions of floats per second",
        benchmarkCase => Parameter(benchmarkCase, "Length") is int length ? length / 1e6 : null);

    static object? Parameter(BenchmarkCase benchmarkCase, string parameterName) =>
        benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == parameterName)?.Value;

    public string Id => $"{nameof(ThroughputColumn)}.{name}";
    public string ColumnName => name;
    public string Legend => legend;
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => summary.BenchmarksCases.Any(c => workPerCall(c) is not null);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double? work = workPerCall(benchmarkCase);
        double? seconds = MeanSeconds(summary, benchmarkCase);
        if (work is null || seconds is null) return "NA";
        double rate = work.Value / seconds.Value;
        return rate.ToString(rate >= 100 ? "N0" : rate >= 1 ? "N1" : "N3", summary.GetCultureInfo());
    }

    /// <summary>Mean seconds per call, or null when the case failed.</summary>
    public static double? MeanSeconds(Summary summary, BenchmarkCase benchmarkCase) =>
        summary.HasReport(benchmarkCase) && summary[benchmarkCase]?.ResultStatistics is { } statistics && statistics.Mean > 0
            ? statistics.Mean * 1e-9
            : null;
}
