namespace VaeGpu.Runtime;

/// <summary>
/// How busy this shared machine was over a time window, from Linux's /proc/stat (all cores together) and the CPU
/// time of our own process(es) from /proc/PID/stat. Figures on a 2-core machine that others also use mean little
/// without this: busy = 1 - idle delta / total delta, ours = our CPU time / total, others = busy - ours.
/// All values are clock ticks (USER_HZ), so the ratios need no unit conversion.
/// </summary>
public readonly record struct MachineLoad(long BusyTicks, long TotalTicks, long ProcessTicks)
{
    /// <summary>Now, or null where /proc is not readable (not Linux).</summary>
    /// <param name="pid">The process counted as ours.</param>
    /// <param name="includeReapedChildren">Add the time of children that process has waited for (BenchmarkDotNet's runs and builds).</param>
    public static MachineLoad? Read(int pid, bool includeReapedChildren)
    {
        try
        {
            // "cpu  user nice system idle iowait irq softirq steal guest guest_nice"; guest time is already in user.
            var cpu = File.ReadLines("/proc/stat").First(line => line.StartsWith("cpu ", StringComparison.Ordinal))
                .Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(long.Parse).ToArray();
            long idle = cpu[3] + cpu[4];
            long total = cpu.Sum();
            return new MachineLoad(total - idle, total, ReadProcessTicks(pid, includeReapedChildren));
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or FormatException or InvalidOperationException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>utime + stime (+ cutime + cstime): fields 14-17 of /proc/PID/stat, counted after the ")" of the name.</summary>
    static long ReadProcessTicks(int pid, bool includeReapedChildren)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // fields[0] is field 3 (state), so field n is fields[n - 3].
        long ticks = long.Parse(fields[11]) + long.Parse(fields[12]);
        if (includeReapedChildren) ticks += long.Parse(fields[13]) + long.Parse(fields[14]);
        return ticks;
    }

    /// <summary>Fractions of all cores' time between two readings.</summary>
    public static (double Busy, double Ours, double Others) Between(MachineLoad start, MachineLoad end)
    {
        double total = end.TotalTicks - start.TotalTicks;
        if (total <= 0) return (double.NaN, double.NaN, double.NaN);
        double busy = (end.BusyTicks - start.BusyTicks) / total;
        double ours = Math.Min(busy, (end.ProcessTicks - start.ProcessTicks) / total);
        return (busy, ours, Math.Max(0, busy - ours));
    }
}
