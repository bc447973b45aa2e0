using ReactiveStore.Signals;

namespace ReactiveStore;

/// <summary>The one lock that serializes commits of every store and every signal write and recomputation.</summary>
/// <remarks>
/// A store's commits and the signal engine share <see cref="SignalGraph.Gate"/> on purpose: derived values
/// recompute inside the commit that changed their inputs, effects may write to a store, and a compute function
/// may read one, all without any lock-order hazard. The lock is reentrant. Point reads never take it.
/// </remarks>
internal static class GraphLock
{
    /// <summary>Gets whether the current thread holds the lock.</summary>
    public static bool IsHeldByCurrentThread => SignalGraph.IsHeldByCurrentThread;

    /// <summary>Takes the lock (reentrantly) until the returned scope is disposed.</summary>
    public static Scope Enter() => new(SignalGraph.Enter());

    /// <summary>Waits until no other thread holds the lock, without keeping it.</summary>
    public static void WaitForRelease()
    {
        SignalGraph.Gate.Enter();
        SignalGraph.Gate.Exit();
    }

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
