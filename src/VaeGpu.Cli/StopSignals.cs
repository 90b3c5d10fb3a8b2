using System.Runtime.InteropServices;

namespace VaeGpu.Cli;

/// <summary>
/// SIGINT, SIGTERM and SIGHUP (Ctrl-C, a scheduler's preemption or `timeout`, a closed terminal) for every command.
/// By default a command stops at once with one line and exit code 128 + the signal's number, but only between file
/// writes, so every file it wrote is whole. `train` defers them instead (Defer): the signal cancels a token, the run
/// finishes its step, saves a checkpoint and exits itself. Any later signal is ignored, so a second one never kills a
/// save under way.
/// </summary>
public static class StopSignals
{
    static readonly object gate = new();
    static CancellationTokenSource? deferredTo;
    static int received;

    // Never disposed: a later signal while the runtime shuts down must be ignored too, not end the process with the
    // default action and replace its exit code.
    static readonly List<PosixSignalRegistration> registrations = [];

    /// <summary>Catches the signals from now to the end of the process.</summary>
    public static void Install()
    {
        lock (gate) registrations.AddRange(new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP }.Select(signal => PosixSignalRegistration.Create(signal, OnSignal)));
    }

    /// <summary>Until the result is disposed, a signal cancels the returned token instead of ending the process.</summary>
    public static Deferral Defer()
    {
        lock (gate)
        {
            deferredTo = new CancellationTokenSource();
            return new Deferral(deferredTo);
        }
    }

    /// <summary>The first signal received, e.g. "SIGTERM".</summary>
    public static string Name => received switch { 1 => "SIGHUP", 2 => "SIGINT", 15 => "SIGTERM", _ => "no signal" };

    /// <summary>The shell's convention for a process ended by the first signal received: 128 + its number.</summary>
    public static int ExitCode => 128 + received;

    static void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true; // the runtime's default would end the process at once, even within a write
        int number = context.Signal switch { PosixSignal.SIGHUP => 1, PosixSignal.SIGINT => 2, _ => 15 };
        lock (gate)
        {
            if (received != 0) return;
            received = number;
            if (deferredTo is not null)
            {
                deferredTo.Cancel();
                return;
            }
        }
        WritesInProgress.WaitAndBlock();
        ResultFolder.RemoveEmptyCreated();
        Console.Error.WriteLine($"vaegpu: stopped by {Name} before the end: no file was left half-written; run the command again for its results.");
        // Not Environment.Exit: it runs the C library's exit handlers, OpenBLAS's among them, which free its buffers
        // while the main thread may still be inside an sgemm (a segfault, exit 139, in about one stopped eval in four
        // on the host path). Every file is whole here and stderr is unbuffered, so the process ends at once.
        ExitImmediately(ExitCode);
    }

    // DllImport rather than LibraryImport: the source-generated form needs unsafe code in the project.
    [DllImport("libc", EntryPoint = "_exit")]
    static extern void ExitImmediately(int status);

    public sealed class Deferral(CancellationTokenSource source) : IDisposable
    {
        public CancellationToken Token => source.Token;

        public void Dispose()
        {
            lock (gate) deferredTo = null;
            source.Dispose();
        }
    }
}
