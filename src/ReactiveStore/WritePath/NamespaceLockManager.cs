using System.Collections.Concurrent;

namespace ReactiveStore;

/// <summary>The default lock manager: one in-process lock per namespace (the path's first segment).</summary>
/// <remarks>Reentrant. Inside one store every commit already holds the graph lock, so these locks are never contended
/// by the store itself; they serialize other users of the same manager instance. Allocation-free after the first
/// write to a namespace: each namespace has one lock and one reusable lease (dispose each lease exactly once).</remarks>
public sealed class NamespaceLockManager : ILockManager
{
    private readonly ConcurrentDictionary<string, Lease> _leases = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public IDisposable Acquire(StatePath path)
    {
        if (path.IsRoot)
        {
            throw new ArgumentException("The root path belongs to no namespace.", nameof(path));
        }

        string text = path.ToString();
        int dot = text.IndexOf('.', StringComparison.Ordinal);
        ReadOnlySpan<char> space = dot < 0 ? text : text.AsSpan(0, dot);
        if (!_leases.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(space, out Lease? lease))
        {
            lease = _leases.GetOrAdd(space.ToString(), static _ => new Lease());
        }

        lease.Gate.Enter();
        return lease;
    }

    private sealed class Lease : IDisposable
    {
        public Lock Gate { get; } = new();

        public void Dispose() => Gate.Exit();
    }
}
