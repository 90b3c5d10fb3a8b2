using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;

namespace VaeGpu.Bench;

/// <summary>Columns for matrix products: GFLOP/s and speed relative to raw OpenBLAS in place of the time Ratio.
/// Alloc Ratio stays (always NA: the baseline allocates nothing); hiding it makes BenchmarkDotNet print an empty column.</summary>
public sealed class MatMulConfig : ManualConfig
{
    public MatMulConfig()
    {
        AddColumn(ThroughputColumn.GigaFlops,
            new SpeedupColumn("vs OpenBLAS", $"GFLOP/s of this row / GFLOP/s of RawOpenBlas for the same shape (1.00x = as fast); ? = Others above {SpeedupColumn.DisturbedOthersPercent}% in this row or the baseline"));
        HideColumns(Column.Ratio, Column.RatioSD);
    }
}

/// <summary>Columns for random fills: million samples per second.</summary>
public sealed class RandomConfig : ManualConfig
{
    public RandomConfig() => AddColumn(ThroughputColumn.MegaSamples);
}
