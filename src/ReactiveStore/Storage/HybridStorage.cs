namespace ReactiveStore.Storage;

/// <summary>A storage driver that routes keys to other drivers by prefix: the longest mounted prefix owns a key, the root storage owns the rest.</summary>
/// <remarks>
/// <para>A mount at <c>session</c> owns the key <c>session</c> itself and every key below it (<c>session.user</c>), but not
/// <c>sessions</c>. Mounts nest: with <c>a</c> and <c>a.b</c> mounted, <c>a.b.c</c> goes to the <c>a.b</c> driver.</para>
/// <para><see cref="Keys"/> and <see cref="ReadAll"/> merge the drivers in ordinal key order and list each key only from
/// the driver that owns it: keys a driver holds outside its territory (a root key shadowed by a later mount) are hidden,
/// not moved. <see cref="Write"/> splits a commit by owner and hands each driver its part in one call, in order of first
/// appearance: atomic within one driver (as far as that driver is), <b>not</b> across drivers.</para>
/// <para>Ownership: the hybrid owns the drivers it is given, unless told to leave one open. It disposes a mounted driver
/// when <see cref="Unmount"/> removes its last mount (a file-system driver then releases its folder's lock, so the folder
/// can be opened again), and the root and every driver still mounted when it is disposed itself. A driver given with
/// <c>leaveOpen: true</c> (<see cref="Mount(string, IStateStorage, bool)"/>, <see cref="HybridStorage(IStateStorage, bool)"/>)
/// is never disposed by the hybrid: the caller disposes it. Thread-safe: mounting waits for operations in flight.</para>
/// </remarks>
public sealed class HybridStorage : IStateStorage
{
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly IStateStorage _root;
    private readonly SortedDictionary<string, IStateStorage> _mounts = new(StringComparer.Ordinal);

    // Every driver in use (the root and each mounted one, once) and whether the caller keeps it open.
    private readonly Dictionary<IStateStorage, bool> _leaveOpen = new(ReferenceEqualityComparer.Instance);
    private int _disposed;

    /// <summary>Creates a hybrid storage whose unmounted keys live in <paramref name="root"/>; the hybrid owns (and disposes) it.</summary>
    /// <param name="root">The driver for every key no mount owns.</param>
    public HybridStorage(IStateStorage root)
        : this(root, leaveRootOpen: false)
    {
    }

    /// <summary>Creates a hybrid storage whose unmounted keys live in <paramref name="root"/>.</summary>
    /// <param name="root">The driver for every key no mount owns.</param>
    /// <param name="leaveRootOpen"><see langword="true"/> to leave <paramref name="root"/> open when the hybrid is disposed (the caller owns it).</param>
    public HybridStorage(IStateStorage root, bool leaveRootOpen)
    {
        ArgumentNullException.ThrowIfNull(root);
        _root = root;
        _leaveOpen.Add(root, leaveRootOpen);
    }

    /// <summary>Gets the mounted prefixes, in ordinal order.</summary>
    public IReadOnlyList<string> MountedPrefixes
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return [.. _mounts.Keys];
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    /// <summary>Mounts <paramref name="storage"/> at <paramref name="prefix"/>: it owns that key and every key below it, unless a longer mount owns them.
    /// The hybrid owns the driver: it disposes it on <see cref="Unmount"/> of its last mount and on <see cref="Dispose"/>.</summary>
    /// <param name="prefix">A dotted path.</param>
    /// <param name="storage">The driver.</param>
    /// <exception cref="InvalidPathException">The prefix is empty or not a dotted path.</exception>
    /// <exception cref="InvalidOperationException">Something is already mounted at the prefix.</exception>
    /// <exception cref="ArgumentException">The driver is the hybrid itself, or is in use already with <c>leaveOpen: true</c>.</exception>
    public void Mount(string prefix, IStateStorage storage) => Mount(prefix, storage, leaveOpen: false);

    /// <summary>Mounts <paramref name="storage"/> at <paramref name="prefix"/>: it owns that key and every key below it, unless a longer mount owns them.</summary>
    /// <param name="prefix">A dotted path.</param>
    /// <param name="storage">The driver.</param>
    /// <param name="leaveOpen"><see langword="true"/> to keep the driver open when it is unmounted or the hybrid is disposed
    /// (the caller owns it); <see langword="false"/> to hand it to the hybrid.</param>
    /// <exception cref="InvalidPathException">The prefix is empty or not a dotted path.</exception>
    /// <exception cref="InvalidOperationException">Something is already mounted at the prefix.</exception>
    /// <exception cref="ArgumentException">The driver is the hybrid itself, or is in use already (as the root or another mount) with the other <paramref name="leaveOpen"/>.</exception>
    public void Mount(string prefix, IStateStorage storage, bool leaveOpen)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(storage);
        if (prefix.Length == 0)
        {
            throw new InvalidPathException("A mount prefix cannot be empty: the root storage (the constructor's argument) owns every key no mount owns.", prefix, -1);
        }

        StorageKeyGrammar.ThrowIfInvalid(prefix, nameof(prefix));
        if (ReferenceEquals(storage, this))
        {
            throw new ArgumentException("A hybrid storage cannot be mounted into itself.", nameof(storage));
        }

        _lock.EnterWriteLock();
        try
        {
            ThrowIfDisposed();
            if (_mounts.ContainsKey(prefix))
            {
                throw new InvalidOperationException($"A storage is already mounted at '{prefix}'; unmount it first.");
            }

            if (_leaveOpen.TryGetValue(storage, out bool inUseLeaveOpen) && inUseLeaveOpen != leaveOpen)
            {
                throw new ArgumentException(
                    $"This driver is already in use by the hybrid with leaveOpen: {(inUseLeaveOpen ? "true" : "false")}; mount it at '{prefix}' with the same ownership.",
                    nameof(leaveOpen));
            }

            _mounts.Add(prefix, storage);
            _leaveOpen[storage] = leaveOpen;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Removes the mount at <paramref name="prefix"/>; its keys go back to whichever driver owns them now. When that
    /// was the driver's last mount (and it is not the root), the hybrid disposes it unless it was mounted with <c>leaveOpen: true</c>.</summary>
    /// <param name="prefix">The exact prefix given to <see cref="Mount(string, IStateStorage)"/>.</param>
    /// <returns><see langword="true"/> if a mount was removed; <see langword="false"/> if nothing was mounted at the prefix.</returns>
    /// <remarks>The driver is disposed after it was removed and every operation routed to it finished; if its
    /// <see cref="IDisposable.Dispose"/> throws (a caching driver whose final flush fails), the mount is gone and the
    /// exception propagates.</remarks>
    public bool Unmount(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        IStateStorage? release = null;
        _lock.EnterWriteLock();
        try
        {
            ThrowIfDisposed();
            if (!_mounts.Remove(prefix, out IStateStorage? storage))
            {
                return false;
            }

            if (!ReferenceEquals(storage, _root) && !_mounts.ContainsValue(storage))
            {
                _leaveOpen.Remove(storage, out bool leaveOpen);
                release = leaveOpen ? null : storage;
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }

        release?.Dispose();
        return true;
    }

    /// <summary>Gets the driver that owns <paramref name="key"/>: the one mounted at its longest mounted prefix, or the root.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The owning driver.</returns>
    public IStateStorage GetOwner(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _lock.EnterReadLock();
        try
        {
            ThrowIfDisposed();
            return OwnerOf(key);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <inheritdoc/>
    /// <remarks>Returns the entries in ordinal key order, each from its owner.</remarks>
    public IEnumerable<KeyValuePair<string, StoredEntry>> ReadAll()
    {
        _lock.EnterReadLock();
        try
        {
            ThrowIfDisposed();
            var all = new List<KeyValuePair<string, StoredEntry>>();
            foreach (IStateStorage driver in Drivers())
            {
                foreach (KeyValuePair<string, StoredEntry> pair in driver.ReadAll())
                {
                    if (ReferenceEquals(OwnerOf(pair.Key), driver))
                    {
                        all.Add(pair);
                    }
                }
            }

            all.Sort(static (x, y) => string.CompareOrdinal(x.Key, y.Key));
            return all;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <inheritdoc/>
    public bool TryGet(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out StoredEntry? entry)
    {
        ArgumentNullException.ThrowIfNull(key);
        _lock.EnterReadLock();
        try
        {
            ThrowIfDisposed();
            return OwnerOf(key).TryGet(key, out entry);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> Keys(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        _lock.EnterReadLock();
        try
        {
            ThrowIfDisposed();
            var keys = new List<string>();
            CollectOwned(_root, prefix, keys);
            foreach (KeyValuePair<string, IStateStorage> mount in _mounts)
            {
                if (StorageKeys.IsAtOrBelow(mount.Key, prefix))
                {
                    CollectOwned(mount.Value, mount.Key, keys);
                }
                else if (StorageKeys.IsAtOrBelow(prefix, mount.Key))
                {
                    CollectOwned(mount.Value, prefix, keys);
                }
            }

            keys.Sort(StringComparer.Ordinal);

            // One driver mounted at two prefixes lists a key once per matching query: keep one.
            for (int i = keys.Count - 1; i > 0; i--)
            {
                if (string.Equals(keys[i], keys[i - 1], StringComparison.Ordinal))
                {
                    keys.RemoveAt(i);
                }
            }

            return keys;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <inheritdoc/>
    /// <remarks>Splits the writes by owner and calls each owner's <see cref="IStateStorage.Write"/> once, in order of first
    /// appearance; the writes keep their order within each part. Atomic within one driver only: if a later driver fails,
    /// the parts already written stay written.</remarks>
    public void Write(IReadOnlyList<StorageWrite> writes)
    {
        ArgumentNullException.ThrowIfNull(writes);
        for (int i = 0; i < writes.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(writes[i].Key, nameof(writes));
        }

        _lock.EnterReadLock();
        try
        {
            ThrowIfDisposed();
            if (_mounts.Count == 0)
            {
                _root.Write(writes);
                return;
            }

            var parts = new List<(IStateStorage Driver, List<StorageWrite> Writes)>();
            for (int i = 0; i < writes.Count; i++)
            {
                IStateStorage owner = OwnerOf(writes[i].Key);
                int part = parts.FindIndex(p => ReferenceEquals(p.Driver, owner));
                if (part < 0)
                {
                    parts.Add((owner, [writes[i]]));
                }
                else
                {
                    parts[part].Writes.Add(writes[i]);
                }
            }

            foreach ((IStateStorage driver, List<StorageWrite> part) in parts)
            {
                driver.Write(part);
            }
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <inheritdoc/>
    /// <remarks>Flushes the root and every mount; the first failure is rethrown after all were tried.</remarks>
    public void Flush()
    {
        _lock.EnterReadLock();
        try
        {
            ThrowIfDisposed();
            Exception? first = null;
            foreach (IStateStorage driver in Drivers())
            {
                try
                {
                    driver.Flush();
                }
                catch (Exception ex)
                {
                    first ??= ex;
                }
            }

            if (first is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
            }
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Disposes the root and every mounted driver, except those given with <c>leaveOpen: true</c>.</summary>
    /// <remarks>Every owned driver is disposed even if one throws; the first exception is rethrown after all were tried.</remarks>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _lock.EnterWriteLock();
        List<IStateStorage> owned = [];
        try
        {
            foreach (IStateStorage driver in Drivers())
            {
                if (!_leaveOpen[driver])
                {
                    owned.Add(driver);
                }
            }

            _mounts.Clear();
            _leaveOpen.Clear();
        }
        finally
        {
            _lock.ExitWriteLock();
        }

        Exception? first = null;
        foreach (IStateStorage driver in owned)
        {
            try
            {
                driver.Dispose();
            }
            catch (Exception ex)
            {
                first ??= ex;
            }
        }

        if (first is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
        }
    }

    private IStateStorage OwnerOf(string key)
    {
        // The longest owning prefix: walk the key's own prefixes from the longest down.
        if (_mounts.Count != 0)
        {
            string candidate = key;
            while (true)
            {
                if (_mounts.TryGetValue(candidate, out IStateStorage? storage))
                {
                    return storage;
                }

                int dot = candidate.LastIndexOf('.');
                if (dot <= 0)
                {
                    break;
                }

                candidate = candidate[..dot];
            }
        }

        return _root;
    }

    private void CollectOwned(IStateStorage driver, string prefix, List<string> keys)
    {
        foreach (string key in driver.Keys(prefix))
        {
            if (ReferenceEquals(OwnerOf(key), driver))
            {
                keys.Add(key);
            }
        }
    }

    private List<IStateStorage> Drivers()
    {
        var drivers = new List<IStateStorage> { _root };
        foreach (IStateStorage storage in _mounts.Values)
        {
            if (!drivers.Contains(storage, ReferenceEqualityComparer.Instance))
            {
                drivers.Add(storage);
            }
        }

        return drivers;
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
