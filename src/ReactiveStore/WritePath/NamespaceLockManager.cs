namespace ReactiveStore;

/// <summary>The default lock manager: one in-process lock per namespace (the path's first segment).</summary>
/// <remarks>Reentrant. Inside one store every commit already holds the graph lock, so these locks are never contended
/// by the store itself; they serialize other users of the same manager instance.</remarks>
public sealed class NamespaceLockManager : ILockManager
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lock> _locks = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public IDisposable Acquire(StatePath path)
    {
        if (path.IsRoot)
        {
            throw new ArgumentException("The root path belongs to no namespace.", nameof(path));
        }

        Lock gate = _locks.GetOrAdd(path[0], static _ => new Lock());
        gate.Enter();
        return new Lease(gate);
    }

    private sealed class Lease(Lock gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Exit();
            }
        }
    }
}
