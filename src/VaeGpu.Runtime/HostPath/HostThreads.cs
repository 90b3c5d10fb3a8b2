namespace VaeGpu.Runtime.HostPath;

/// <summary>
/// The host path's one threading model: a fixed team of threads (the caller and Count - 1 dedicated workers) that
/// runs every parallel pass, the matrix products included (OpenBLAS is told to use one thread, and each team member
/// multiplies its own block of rows). Why not OpenBLAS's own threads plus Parallel.For: measured on a 2-core machine,
/// OpenBLAS's idle workers spin for ~0.1 s after each product, so a managed pass between two products ran ~35% slower
/// beside them, and the thread pool's workers fought them for the cores. With one team, nothing spins while another
/// thread works, the elementwise passes use every core too, and a product's rows come out the same whatever the team's
/// size (each row is one single-threaded sgemm's), so the step's numbers do not depend on the thread count.
/// A worker spins for a few microseconds after its part (the next pass of a step comes that soon), then sleeps.
/// </summary>
public sealed class HostThreads
{
    /// <summary>The spin iterations (SpinWait.SpinOnce, which yields the core now and then) before a worker sleeps.</summary>
    const int SpinsBeforeSleep = 2000;

    static readonly Dictionary<int, HostThreads> teams = [];

    /// <summary>One team per size, shared by every HostBackend of the process: threads are made once and never stop.</summary>
    public static HostThreads WithCount(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        lock (teams)
        {
            if (!teams.TryGetValue(count, out var team)) teams[count] = team = new HostThreads(count);
            return team;
        }
    }

    /// <summary>
    /// The default team: VAEGPU_HOST_THREADS when set (1 to 256), else one thread per core the process may use.
    /// </summary>
    public static int DefaultCount =>
        int.TryParse(Environment.GetEnvironmentVariable("VAEGPU_HOST_THREADS"), out int count) && count is >= 1 and <= 256
            ? count
            : Environment.ProcessorCount;

    public int Count { get; }

    readonly object runLock = new(), sleepGate = new();
    Action<int> body = _ => { };
    int itemCount, nextItem, workersBusy, sleepers, generation;
    Exception? failure;

    HostThreads(int count)
    {
        Count = count;
        for (int id = 1; id < count; id++)
            new Thread(WorkerLoop) { IsBackground = true, Name = $"vaegpu host {id}" }.Start();
    }

    /// <summary>
    /// body(0) .. body(count - 1) across the team, each item on one thread, in no fixed order; returns when all are done
    /// and rethrows the first exception. A second caller while a pass runs (another backend on another thread, or an
    /// item of the pass itself) runs its items alone on its own thread rather than wait.
    /// </summary>
    public void For(int count, Action<int> body)
    {
        if (count <= 0) return;
        // Monitor is re-entrant: the caller's own items must not start a pass over the one they belong to.
        if (count == 1 || Count == 1 || Monitor.IsEntered(runLock) || !Monitor.TryEnter(runLock))
        {
            for (int item = 0; item < count; item++) body(item);
            return;
        }
        try
        {
            this.body = body;
            itemCount = count;
            nextItem = 0;
            failure = null;
            workersBusy = Count - 1;
            Interlocked.Increment(ref generation);
            if (Volatile.Read(ref sleepers) > 0)
                lock (sleepGate) Monitor.PulseAll(sleepGate);
            RunItems();
            var spin = new SpinWait();
            while (Volatile.Read(ref workersBusy) > 0) spin.SpinOnce(sleep1Threshold: -1);
            if (failure is { } error) throw new AggregateException(error).InnerException!;
        }
        finally
        {
            body = _ => { };
            Monitor.Exit(runLock);
        }
    }

    void RunItems()
    {
        try
        {
            for (int item = Interlocked.Increment(ref nextItem) - 1; item < itemCount; item = Interlocked.Increment(ref nextItem) - 1)
                body(item);
        }
        catch (Exception error)
        {
            Interlocked.CompareExchange(ref failure, error, null);
            Volatile.Write(ref nextItem, itemCount);
        }
    }

    void WorkerLoop()
    {
        int seen = 0;
        while (true)
        {
            var spin = new SpinWait();
            for (int spins = 0; Volatile.Read(ref generation) == seen && spins < SpinsBeforeSleep; spins++) spin.SpinOnce(sleep1Threshold: -1);
            if (Volatile.Read(ref generation) == seen)
            {
                // Dekker-style: the worker announces itself before its last look, the caller bumps the generation before
                // it looks for sleepers, both with full fences, so one of them sees the other.
                lock (sleepGate)
                {
                    Interlocked.Increment(ref sleepers);
                    while (Volatile.Read(ref generation) == seen) Monitor.Wait(sleepGate);
                    Interlocked.Decrement(ref sleepers);
                }
            }
            seen = Volatile.Read(ref generation);
            RunItems();
            Interlocked.Decrement(ref workersBusy);
        }
    }
}
