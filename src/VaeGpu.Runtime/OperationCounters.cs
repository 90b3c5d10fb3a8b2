namespace VaeGpu.Runtime;

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

    internal void CountLaunch() => KernelLaunches++;
    internal void CountUpload(long bytes) => BytesToDevice += bytes;
    internal void CountDownload(long bytes) => BytesFromDevice += bytes;
    internal void CountAllocation(long bytes) => BytesAllocated += bytes;

    public void Reset() => (KernelLaunches, BytesToDevice, BytesFromDevice) = (0, 0, 0);

    public override string ToString() =>
        $"{KernelLaunches} launches, {BytesToDevice} B to device, {BytesFromDevice} B from device, {BytesAllocated} B allocated";
}
