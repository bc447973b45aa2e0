namespace ReactiveStore.Storage;

/// <summary>A write-behind cache over another driver: reads are served from memory, writes are buffered and flushed to the inner driver later.</summary>
/// <remarks>
/// <para>The first read of any kind loads every entry of the inner driver into memory (<see cref="IStateStorage.ReadAll"/>,
/// once); from then on reads never touch it. Writes update the cache at once and are buffered, coalesced per key (the
/// last write to a key wins), until a flush hands them to the inner driver in one <see cref="IStateStorage.Write"/>:
/// on the <see cref="CachingOptions.FlushInterval"/> timer, after a write when <see cref="CachingOptions.FlushOnWrite"/>
/// / <see cref="CachingOptions.FlushOnDelete"/> apply, before a read when <see cref="CachingOptions.FlushOnRead"/>, on
/// <see cref="Flush"/> and on <see cref="Dispose"/>.</para>
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
    /// <remarks>Updates the cache and buffers the writes; flushes before returning when <see cref="CachingOptions.FlushOnWrite"/>
    /// (and the writes set a key) or <see cref="CachingOptions.FlushOnDelete"/> (and they delete one) is on.</remarks>
    public void Write(IReadOnlyList<StorageWrite> writes)
    {
        ArgumentNullException.ThrowIfNull(writes);
        bool sets = false;
        bool deletes = false;
        for (int i = 0; i < writes.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(writes[i].Key, nameof(writes));
            sets |= !writes[i].IsDelete;
            deletes |= writes[i].IsDelete;
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

        if ((sets && _options.FlushOnWrite) || (deletes && _options.FlushOnDelete))
        {
            FlushBuffered();
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
                    // Put the batch back ahead of what was buffered meanwhile, except keys written again since.
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
