using ReactiveStore.Signals;

namespace ReactiveStore;

/// <summary>A <c>using</c> scope over the signal engine's lock, for the store's code that reads or changes the dependency
/// graph (derivations, observers, trackers, path signals).</summary>
/// <remarks>
/// The engine lock is not a store lock: commits of a store run under that store's commit turn and take the engine lock
/// only to publish what computations read (see <see cref="CommitPipeline"/>). Lock order: a store's turn, then the engine
/// lock, then a table's structure lock. A thread holding the engine lock never waits for a turn (its writes are queued,
/// see <see cref="DeferredWrites"/>). The lock is reentrant. Point reads never take it.
/// </remarks>
internal static class GraphLock
{
    /// <summary>Gets whether the current thread holds the lock.</summary>
    public static bool IsHeldByCurrentThread => SignalGraph.IsHeldByCurrentThread;

    /// <summary>Takes the lock (reentrantly) until the returned scope is disposed.</summary>
    public static Scope Enter() => new(SignalGraph.Enter());

    /// <summary>Releases the lock on dispose if <see cref="Enter"/> took it.</summary>
    public readonly ref struct Scope(bool taken)
    {
        /// <summary>Releases the lock if this scope took it.</summary>
        public void Dispose()
        {
            if (taken)
            {
                SignalGraph.Exit();
            }
        }
    }
}
