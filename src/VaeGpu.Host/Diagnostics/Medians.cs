using System.Diagnostics;
using VaeGpu.Runtime;

namespace VaeGpu.Host.Diagnostics;

/// <summary>The median every timing of `vaegpu bench` reports: robust to the outliers a shared machine throws in.</summary>
static class Medians
{
    /// <summary>
    /// Each call's median wall time in microseconds when the calls take turns: all run once, then in order, repeats
    /// times, each between two synchronisations, so every call sees the caches the others leave and the machine's
    /// drift falls on all of them alike.
    /// </summary>
    public static double[] Interleaved(IBackend backend, IReadOnlyList<Action> calls, int repeats)
    {
        var times = calls.Select(_ => new List<double>(repeats)).ToArray();
        foreach (var call in calls) call();
        backend.Synchronize();
        for (int r = 0; r < repeats; r++)
            for (int i = 0; i < calls.Count; i++)
            {
                var clock = Stopwatch.StartNew();
                calls[i]();
                backend.Synchronize();
                times[i].Add(clock.Elapsed.TotalMicroseconds);
            }
        return times.Select(Of).ToArray();
    }

    /// <summary>The middle value (the mean of the two middle ones for an even count); sorts the list.</summary>
    public static double Of(List<double> values)
    {
        values.Sort();
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[values.Count / 2 - 1] + values[values.Count / 2]) / 2;
    }
}
