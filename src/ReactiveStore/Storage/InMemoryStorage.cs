using System.Collections.Concurrent;

namespace ReactiveStore.Storage;

/// <summary>A storage driver that keeps serialized entries in memory: nothing survives the process.</summary>
/// <remarks>
/// A store with no <c>StateStoreOptions.Storage</c> is in memory already and persists nothing; use this driver
/// where a real <see cref="IStateStorage"/> is wanted in memory (a mount of <c>HybridStorage</c>, the inner layer of
/// a test, or to hand state from one store instance to the next). Thread-safe; <see cref="Write"/> is atomic.
/// </remarks>
public sealed class InMemoryStorage : IStateStorage
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<string, StoredEntry> _entries = new(StringComparer.Ordinal);
    private int _disposed;

    /// <summary>Gets the number of stored keys.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <inheritdoc/>
    public IEnumerable<KeyValuePair<string, StoredEntry>> ReadAll()
    {
        lock (_lock)
        {
            ThrowIfDisposed();
            return [.. _entries];
        }
    }

    /// <inheritdoc/>
    public bool TryGet(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out StoredEntry? entry)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_lock)
        {
            ThrowIfDisposed();
            return _entries.TryGetValue(key, out entry);
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> Keys(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        lock (_lock)
        {
            ThrowIfDisposed();
            var keys = new List<string>();
            foreach (string key in _entries.Keys)
            {
                if (StorageKeys.IsAtOrBelow(key, prefix))
                {
                    keys.Add(key);
                }
            }

            return keys;
        }
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">An entry is a corrupted placeholder (<see cref="StoredEntry.Corrupted"/>); nothing is written.</exception>
    public void Write(IReadOnlyList<StorageWrite> writes)
    {
        ArgumentNullException.ThrowIfNull(writes);
        for (int i = 0; i < writes.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(writes[i].Key, nameof(writes));
            StoredEntry.ThrowIfCorrupted(writes[i].Key, writes[i].Entry, nameof(writes));
        }

        lock (_lock)
        {
            ThrowIfDisposed();
            foreach (StorageWrite write in writes)
            {
                if (write.Entry is null)
                {
                    _entries.Remove(write.Key);
                }
                else
                {
                    _entries[write.Key] = write.Entry;
                }
            }
        }
    }

    /// <inheritdoc/>
    public void Flush()
    {
        ThrowIfDisposed();
    }

    /// <summary>Drops the entries.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            lock (_lock)
            {
                _entries.Clear();
            }
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
