namespace VaeGpu.Runtime;

/// <summary>
/// How busy the whole machine was between two readings of /proc/stat (1 = every core busy). This machine is shared,
/// so every timing we print carries this figure beside it. NaN where /proc/stat does not exist.
/// </summary>
public readonly record struct MachineLoad(long Busy, long Total)
{
    public static MachineLoad Read()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
            long idle = fields[3] + (fields.Length > 4 ? fields[4] : 0); // idle + iowait
            long total = fields.Sum();
            return new MachineLoad(total - idle, total);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or FormatException)
        {
            return new MachineLoad(0, 0);
        }
    }

    /// <summary>The busy fraction from <paramref name="earlier"/> to this reading.</summary>
    public double BusySince(MachineLoad earlier) =>
        Total > earlier.Total ? (double)(Busy - earlier.Busy) / (Total - earlier.Total) : double.NaN;
}
