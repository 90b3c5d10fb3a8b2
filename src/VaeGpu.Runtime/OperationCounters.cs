using System.Runtime.CompilerServices;

namespace VaeGpu.Runtime;

/// <summary>
/// One queued device operation: the backend operation that queued it, its threads, and its group size (for an
/// implicitly grouped kernel the one ILGPU chose; 0 where it is not known).
/// </summary>
public sealed record LaunchRecord(string Operation, long Threads, int GroupSize, bool GroupSizeChosenByIlgpu)
{
    /// <summary>Groups in the launch (the last one partly filled), or null where the group size is not known.</summary>
    public long? Groups => GroupSize > 0 ? (Threads + GroupSize - 1) / GroupSize : null;
}

/// <summary>
/// What a backend has done since creation or the last Reset: kernel launches and bytes moved between host and
/// device. Tests read it to hold the GPU path to its launch budget; benchmarks print it.
/// </summary>
public sealed class OperationCounters
{
    public long KernelLaunches { get; private set; }
    public long BytesToDevice { get; private set; }
    public long BytesFromDevice { get; private set; }
    public long BytesAllocated { get; private set; }

    readonly List<LaunchRecord> launchLog = [];

    /// <summary>When true, every launch is also recorded in LaunchLog (tests and bench turn it on around one step).</summary>
    public bool LogLaunches { get; set; }

    /// <summary>The launches recorded since LogLaunches was turned on or the last Reset.</summary>
    public IReadOnlyList<LaunchRecord> LaunchLog => launchLog;

    internal void CountLaunch(long threads = 0, int groupSize = 0, bool autoGrouped = false, [CallerMemberName] string operation = "")
    {
        KernelLaunches++;
        if (LogLaunches) launchLog.Add(new LaunchRecord(operation, threads, groupSize, autoGrouped));
    }

    internal void CountUpload(long bytes) => BytesToDevice += bytes;
    internal void CountDownload(long bytes) => BytesFromDevice += bytes;
    internal void CountAllocation(long bytes) => BytesAllocated += bytes;

    public void Reset()
    {
        (KernelLaunches, BytesToDevice, BytesFromDevice) = (0, 0, 0);
        launchLog.Clear();
    }

    public override string ToString() =>
        $"{KernelLaunches} launches, {BytesToDevice} B to device, {BytesFromDevice} B from device, {BytesAllocated} B allocated";
}
