namespace VaeGpu.Runtime;

/// <summary>
/// Checks a planned allocation against what the backend has, before any of it is made, so that an absurd size from
/// a user or a file ends in one line instead of an out-of-memory abort after minutes.
/// </summary>
public static class MemoryBudget
{
    /// <summary>The share of the backend's memory one run may plan to fill; the rest is for the runtime and the system.</summary>
    const double UsableShare = 0.9;

    /// <param name="what">What needs the memory, e.g. "a 784-400-20 model at batch 128".</param>
    /// <param name="settingsToShrink">The settings (InvalidSettingException's names) that the need grows with, e.g. Hidden, Latent, BatchSize.</param>
    public static void Require(IBackend backend, long bytes, string what, params IReadOnlyList<string> settingsToShrink) =>
        Require(backend, bytes, what, $"use a smaller {Alternatives(settingsToShrink)}");

    /// <param name="advice">What to do instead, in words, e.g. "use fewer images".</param>
    public static void Require(IBackend backend, long bytes, string what, string advice)
    {
        long free = backend.MemoryBytes - backend.Counters.BytesAllocated;
        if (bytes < 0 || bytes > UsableShare * free)
            throw new InvalidSettingException([], $"{what} needs {Describe(bytes)} of memory on {backend.Name}, more than the {Describe((long)(UsableShare * free))} it can give: {advice}.");
    }

    /// <summary>"{A}", "{A} or {B}", "{A}, {B} or {C}": the settings as InvalidSettingException mentions.</summary>
    static string Alternatives(IReadOnlyList<string> settings)
    {
        var mentions = settings.Select(setting => $"{{{setting}}}").ToList();
        return mentions.Count == 1 ? mentions[0] : $"{string.Join(", ", mentions[..^1])} or {mentions[^1]}";
    }

    static string Describe(long bytes) => bytes < 0 ? "more than 8 EB" : bytes >= 1L << 30 ? $"{bytes / (double)(1L << 30):F1} GiB" : $"{bytes / (double)(1L << 20):F0} MiB";
}
