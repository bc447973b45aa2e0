namespace ReactiveStore.Storage;

/// <summary>A write-behind cache over another driver: reads are served from memory, writes are buffered and flushed to the inner driver later.</summary>
/// <remarks>
/// <para>The first read of any kind loads every entry of the inner driver into memory (<see cref="IStateStorage.ReadAll"/>,
/// once); from then on reads never touch it. Writes update the cache at once and are buffered, coalesced per key (the
/// last write to a key wins), until a flush hands them to the inner driver in one <see cref="IStateStorage.Write"/>:
/// on the <see cref="CachingOptions.FlushInterval"/> timer, before a read when <see cref="CachingOptions.FlushOnRead"/>,
/// on <see cref="Flush"/> and on <see cref="Dispose"/>. A write that <see cref="CachingOptions.FlushOnWrite"/> /
/// <see cref="CachingOptions.FlushOnDelete"/> apply to goes through with the buffer, and reaches the cache only once the
/// inner driver took it: a write the inner driver refused is never in the cache and never flushed later.</para>
/// <para>Durability: a write is only as durable as memory until a flush reaches the inner driver; <see cref="Flush"/>
/// also calls the inner driver's <see cref="IStateStorage.Flush"/>, so when it returns everything written before it is as
/// durable as the inner driver makes it. A flush that fails keeps the buffered writes (nothing is lost):
/// <see cref="Flush"/> rethrows, the timer logs and tries again on its next tick.</para>
/// <para>The cache owns the inner driver and disposes it after the final flush. Thread-safe: flushes are serialized and
/// run outside the lock readers and writers take, so reads and writes go on while a flush writes.</para>
/// </remarks>
public sealed class CachingStorage : IStateStorage
{
    private readonly Lock _lock = new();
    private readonly Lock _flushLock = new();
    private readonly IStateStorage _inner;
    private readonly CachingOptions _options;
    private readonly ITimer? _timer;
    private readonly SortedDictionary<string, StoredEntry> _entries = new(StringComparer.Ordinal);
    private List<StorageWrite> _pending = [];
    private Dictionary<string, int> _pendingIndex = new(StringComparer.Ordinal);
    private List<StorageWrite>? _inFlight;
    private bool _loaded;
    private int _disposed;

    /// <summary>Creates a cache over <paramref name="inner"/>.</summary>
    /// <param name="inner">The driver the buffered writes are flushed to; the cache owns it.</param>
    /// <param name="options">When to flush.</param>
    public CachingStorage(IStateStorage inner, CachingOptions options)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(options);
        _inner = inner;
        _options = options;
        if (options.FlushInterval is { } interval)
        {
            _timer = options.TimeProvider.CreateTimer(static state => ((CachingStorage)state!).OnTimer(), this, interval, interval);
        }
    }

    /// <summary>Gets the number of buffered writes (one per key) not yet handed to the inner driver.</summary>
    public int PendingCount
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count;
            }
        }
    }

    /// <inheritdoc/>
    /// <remarks>Returns the entries in ordinal key order.</remarks>
    public IEnumerable<KeyValuePair<string, StoredEntry>> ReadAll()
    {
        BeforeRead();
        lock (_lock)
        {
            ThrowIfDisposed();
            EnsureLoaded();
            return [.. _entries];
        }
    }

    /// <inheritdoc/>
    public bool TryGet(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out StoredEntry? entry)
    {
        ArgumentNullException.ThrowIfNull(key);
        BeforeRead();
        lock (_lock)
        {
            ThrowIfDisposed();
            EnsureLoaded();
            return _entries.TryGetValue(key, out entry);
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> Keys(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        BeforeRead();
        lock (_lock)
        {
            ThrowIfDisposed();
            EnsureLoaded();
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
    /// <remarks>Updates the cache and buffers the writes. When <see cref="CachingOptions.FlushOnWrite"/> (and the writes set
    /// a key) or <see cref="CachingOptions.FlushOnDelete"/> (and they delete one) is on, the write goes through instead: the
    /// buffer and these writes are handed to the inner driver in one <see cref="IStateStorage.Write"/>, and the cache shows
    /// them only once it succeeded. If it fails, the cache is exactly as before the call, the earlier buffered writes stay
    /// buffered, and the exception propagates; for each key the failed call touched, the entry the cache holds (what was
    /// there before) is buffered again, so an inner driver that applied part of the commit is put back by the next flush.</remarks>
    /// <exception cref="ArgumentException">An entry is a corrupted placeholder (<see cref="StoredEntry.Corrupted"/>); nothing is written.</exception>
    public void Write(IReadOnlyList<StorageWrite> writes)
    {
        ArgumentNullException.ThrowIfNull(writes);
        bool sets = false;
        bool deletes = false;
        for (int i = 0; i < writes.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(writes[i].Key, nameof(writes));
            StoredEntry.ThrowIfCorrupted(writes[i].Key, writes[i].Entry, nameof(writes));
            sets |= !writes[i].IsDelete;
            deletes |= writes[i].IsDelete;
        }

        if ((sets && _options.FlushOnWrite) || (deletes && _options.FlushOnDelete))
        {
            WriteThrough(writes);
            return;
        }

        lock (_lock)
        {
            ThrowIfDisposed();
            for (int i = 0; i < writes.Count; i++)
            {
                StorageWrite write = writes[i];
                if (_loaded)
                {
                    Apply(_entries, write);
                }

                Buffer(write);
            }
        }
    }

    /// <inheritdoc/>
    /// <remarks>Hands the buffered writes to the inner driver, then calls its <see cref="IStateStorage.Flush"/>. On failure the writes stay buffered and the exception propagates.</remarks>
    public void Flush()
    {
        ThrowIfDisposed();
        FlushBuffered();
        _inner.Flush();
    }

    /// <summary>Stops the timer, flushes the buffered writes, and disposes the inner driver.</summary>
    /// <remarks>If the final flush fails the inner driver is still disposed and the exception propagates: the writes it could not flush are lost.</remarks>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _timer?.Dispose();
        try
        {
            FlushBuffered();
            _inner.Flush();
        }
        finally
        {
            _inner.Dispose();
            lock (_lock)
            {
                _entries.Clear();
            }
        }
    }

    private static void Apply(SortedDictionary<string, StoredEntry> entries, StorageWrite write)
    {
        if (write.Entry is null)
        {
            entries.Remove(write.Key);
        }
        else
        {
            entries[write.Key] = write.Entry;
        }
    }

    private void Buffer(StorageWrite write)
    {
        if (_pendingIndex.TryGetValue(write.Key, out int index))
        {
            _pending[index] = write;
        }
        else
        {
            _pendingIndex.Add(write.Key, _pending.Count);
            _pending.Add(write);
        }
    }

    private void BeforeRead()
    {
        if (_options.FlushOnRead)
        {
            ThrowIfDisposed();
            FlushBuffered();
        }
    }

    private void EnsureLoaded()
    {
        if (_loaded)
        {
            return;
        }

        foreach (KeyValuePair<string, StoredEntry> pair in _inner.ReadAll())
        {
            _entries[pair.Key] = pair.Value;
        }

        // Writes on their way to the inner driver, then the buffered ones, are newer than whatever it returned.
        if (_inFlight is not null)
        {
            foreach (StorageWrite write in _inFlight)
            {
                Apply(_entries, write);
            }
        }

        foreach (StorageWrite write in _pending)
        {
            Apply(_entries, write);
        }

        _loaded = true;
    }

    private void FlushBuffered()
    {
        lock (_flushLock)
        {
            List<StorageWrite> batch;
            lock (_lock)
            {
                if (_pending.Count == 0)
                {
                    return;
                }

                batch = _pending;
                _inFlight = batch;
                _pending = [];
                _pendingIndex = new(StringComparer.Ordinal);
            }

            try
            {
                _inner.Write(batch);
            }
            catch
            {
                lock (_lock)
                {
                    Requeue(batch);
                    _inFlight = null;
                }

                throw;
            }

            lock (_lock)
            {
                _inFlight = null;
            }
        }
    }

    /// <summary>Hands the buffer and <paramref name="writes"/> to the inner driver together; the cache takes the writes only if that succeeded.</summary>
    private void WriteThrough(IReadOnlyList<StorageWrite> writes)
    {
        lock (_flushLock)
        {
            List<StorageWrite> batch;
            lock (_lock)
            {
                ThrowIfDisposed();

                // Loaded, the cache knows what every key held before this call, which a failure puts back.
                EnsureLoaded();
                batch = _pending;
                _pending = [];
                _pendingIndex = new(StringComparer.Ordinal);
            }

            var commit = new List<StorageWrite>(batch.Count + writes.Count);
            commit.AddRange(batch);
            commit.AddRange(writes);
            try
            {
                _inner.Write(commit);
            }
            catch
            {
                lock (_lock)
                {
                    Requeue(batch);
                    foreach (StorageWrite write in writes)
                    {
                        // A newer write buffered meanwhile (or an earlier one requeued) already says what the key holds.
                        if (!_pendingIndex.ContainsKey(write.Key))
                        {
                            StoredEntry? before = _entries.GetValueOrDefault(write.Key);
                            if (before is not { IsCorrupted: true })
                            {
                                Buffer(new StorageWrite(write.Key, before));
                            }
                        }
                    }
                }

                throw;
            }

            lock (_lock)
            {
                foreach (StorageWrite write in writes)
                {
                    // A write buffered while this one was in flight is newer: the cache already shows it.
                    if (!_pendingIndex.ContainsKey(write.Key))
                    {
                        Apply(_entries, write);
                    }
                }
            }
        }
    }

    /// <summary>Puts a batch that failed to flush back ahead of what was buffered meanwhile, except keys written again since. Caller holds <see cref="_lock"/>.</summary>
    private void Requeue(List<StorageWrite> batch)
    {
        List<StorageWrite> newer = _pending;
        Dictionary<string, int> newerKeys = _pendingIndex;
        _pending = [];
        _pendingIndex = new(StringComparer.Ordinal);
        foreach (StorageWrite write in batch)
        {
            if (!newerKeys.ContainsKey(write.Key))
            {
                Buffer(write);
            }
        }

        foreach (StorageWrite write in newer)
        {
            Buffer(write);
        }
    }

    private void OnTimer()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        try
        {
            FlushBuffered();
        }
#pragma warning disable CA1031 // A timer thread has no caller to throw to: the writes stay buffered and the failure is logged.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (ex is ObjectDisposedException && Volatile.Read(ref _disposed) != 0)
            {
                // A tick that raced Dispose: Dispose's own flush wrote the buffer.
                return;
            }

            if (_options.Logger is { } logger)
            {
                StorageLog.TimedFlushFailed(logger, ex, PendingCount);
            }
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
