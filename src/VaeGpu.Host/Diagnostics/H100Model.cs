namespace VaeGpu.Host.Diagnostics;

/// <summary>
/// A napkin model of one launch's time on an NVIDIA H100 SXM, for a machine that has no GPU to time on. It is a MODEL,
/// never a measurement: every figure it gives is labelled so. Constants: 132 SMs at ~1.7 GHz, ~50 TFLOP/s FP32 FFMA
/// peak, 3.35 TB/s HBM3, and ~2 us per launch for launch, ramp-up and tail on a busy stream. A launch takes
///   2 us + max(flop / (peak x efficiency x fill), bytes / (bandwidth x fill)),  fill = min(1, groups / 132),
/// with efficiency the share of FP32 peak its kernel's inner loop can issue: 0.45 for the register-blocked product
/// (46% FFMA in its SASS loop, KernelCompilationTests), 0.13 for the 16 x 16 tiled one (13%), and 1 elsewhere (those
/// kernels are bound by memory or by the launch). Groups: a product's are its CUDA plan's (split-K included); an
/// explicitly grouped kernel's are its own; an auto-grouped kernel gets 1024-thread groups on CUDA (ILGPU asks
/// cuOccupancyMaxPotentialBlockSize, which gives 1024 for kernels of at most 32 registers, as the step's are).
/// </summary>
public static class H100Model
{
    public const int Multiprocessors = 132;
    public const double PeakFlopPerSecond = 50e12, BytesPerSecond = 3.35e12, LaunchSeconds = 2e-6;
    public const double RegisterBlockedEfficiency = 0.45, TiledEfficiency = 0.13;

    public const string Description = "MODEL, not a measurement: an H100 (132 SMs, ~1.7 GHz, ~50 TFLOP/s FP32, 3.35 TB/s); per launch "
        + "2 us + max(flop / (peak x efficiency x fill), bytes / (bandwidth x fill)), fill = min(1, groups / 132); efficiency 0.45 for the "
        + "register-blocked product (its SASS loop is 46% FFMA), 1 elsewhere";

    /// <summary>The groups the launch would have on an H100 (products: see ProductPlan), or null where unknown.</summary>
    public static long? Groups(VaeGpu.Runtime.LaunchRecord launch) =>
        launch.GroupSizeChosenByIlgpu ? (launch.Threads + 1023) / 1024 : launch.Groups;

    /// <summary>The modelled seconds of one launch; groups null where ILGPU chose them (counted as filling the GPU).</summary>
    public static double Seconds(double flop, double bytes, long? groups, double efficiency = 1)
    {
        double fill = groups is { } count ? Math.Min(1.0, (double)count / Multiprocessors) : 1.0;
        return LaunchSeconds + Math.Max(flop / (PeakFlopPerSecond * efficiency * fill), bytes / (BytesPerSecond * fill));
    }
}
