namespace VaeGpu.Host.Files;

/// <summary>
/// The file writes under way in this process, so that a command stopped by a signal ends between writes, never
/// within one: a write leaves a temporary file until its rename, and a process ended inside it would leave that behind.
/// </summary>
public static class WritesInProgress
{
    // Writes share the lock; the stopping signal takes it alone, so it waits for the writes under way and no new one starts.
    static readonly ReaderWriterLockSlim writes = new(LockRecursionPolicy.SupportsRecursion);

    /// <summary>Marks a write as under way until the result is disposed.</summary>
    public static IDisposable Enter()
    {
        writes.EnterReadLock();
        return new Exit();
    }

    /// <summary>Waits for the writes under way to end and lets no other start: for a process about to exit.</summary>
    public static void WaitAndBlock() => writes.EnterWriteLock();

    sealed class Exit : IDisposable
    {
        public void Dispose() => writes.ExitReadLock();
    }
}
