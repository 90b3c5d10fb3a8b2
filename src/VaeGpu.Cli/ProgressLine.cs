namespace VaeGpu.Cli;

/// <summary>
/// One self-overwriting status line on stderr (bar, loss, ETA) while a long loop runs. Silent when stderr is redirected,
/// so logs and CI output get only the per-epoch lines.
/// </summary>
sealed class ProgressLine(string label, int total)
{
    readonly bool interactive = !Console.IsErrorRedirected;
    readonly System.Diagnostics.Stopwatch clock = System.Diagnostics.Stopwatch.StartNew();
    const int Width = 30;

    public void Update(int done, string detail)
    {
        if (!interactive) return;
        int filled = (int)((long)Width * done / total);
        double eta = done > 0 ? clock.Elapsed.TotalSeconds * (total - done) / done : double.NaN;
        Console.Error.Write($"\r{label} [{new string('#', filled)}{new string('.', Width - filled)}] {done}/{total} {detail} ETA {eta:F1}s ");
    }

    public void Clear()
    {
        if (interactive) Console.Error.Write("\r" + new string(' ', Width + label.Length + 60) + "\r");
    }
}
