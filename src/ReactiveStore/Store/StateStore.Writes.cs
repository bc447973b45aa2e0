using System.Collections;
using ReactiveStore.Signals;

namespace ReactiveStore;

public sealed partial class StateStore
{
    /// <summary>Stores a value and emits a <see cref="StateEventType.Set"/> event; an equal value writes nothing.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="path">The dotted path, for example <c>"config.theme"</c>.</param>
    /// <param name="value">The value.</param>
    /// <param name="options">Options for the write.</param>
    /// <returns>The resulting entry (the current one when the value was equal).</returns>
    /// <exception cref="InvalidPathException">The path is invalid or reserved.</exception>
    /// <exception cref="InvalidOperationException">The path has children, or an ancestor holds a value.</exception>
    /// <exception cref="ObjectDisposedException">The store was shut down.</exception>
    public StateEntry<T> Set<T>(string path, T value, SetOptions? options = null) => Set(ParseKey(path), value, options);

    /// <summary>Stores a value at a typed key; see <see cref="Set{T}(string, T, SetOptions?)"/>.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="key">The typed key.</param>
    /// <param name="value">The value.</param>
    /// <param name="options">Options for the write.</param>
    /// <returns>The resulting entry.</returns>
    public StateEntry<T> Set<T>(StateKey<T> key, T value, SetOptions? options = null) => Set(key.Path, value, options);

    /// <summary>Stores a value; see <see cref="Set{T}(string, T, SetOptions?)"/>.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="path">The path.</param>
    /// <param name="value">The value.</param>
    /// <param name="options">Options for the write.</param>
    /// <returns>The resulting entry.</returns>
    public StateEntry<T> Set<T>(StatePath path, T value, SetOptions? options = null)
    {
        ThrowIfNotWritable(path);
        StateEntry<T> result;
        using (GraphLock.Enter())
        {
            ThrowIfDisposed();
            BeginCommit();
            try
            {
                result = ApplySet(path, value, options);
            }
            finally
            {
                EndCommit();
            }
        }

        AfterCommit();
        return result;
    }

    /// <summary>Returns the stored value, storing <paramref name="value"/> first (with a <see cref="StateEventType.Set"/> event) when the path is missing.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="path">The dotted path.</param>
    /// <param name="value">The value to store when missing.</param>
    /// <returns>What is stored after the call.</returns>
    public T? GetOrAdd<T>(string path, T value) => GetOrAdd(ParseKey(path), value);

    /// <summary>Returns the stored value, storing <paramref name="value"/> first when the path is missing.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="path">The path.</param>
    /// <param name="value">The value to store when missing.</param>
    /// <returns>What is stored after the call.</returns>
    public T? GetOrAdd<T>(StatePath path, T value)
    {
        ThrowIfNotWritable(path);
        if (TryGet(path, out T? existing))
        {
            return existing;
        }

        T? result;
        bool wrote = false;
        using (GraphLock.Enter())
        {
            ThrowIfDisposed();
            if (TryGet(path, out existing))
            {
                return existing;
            }

            BeginCommit();
            try
            {
                result = ApplySet(path, value, null).Value;
                wrote = true;
            }
            finally
            {
                EndCommit();
            }
        }

        if (wrote)
        {
            AfterCommit();
        }

        return result;
    }

    /// <summary>Removes the value at a path and its whole subtree, emitting one <see cref="StateEventType.Delete"/> event for the path.</summary>
    /// <param name="path">The dotted path.</param>
    /// <returns>Whether anything was removed (deleting a missing path is a no-op).</returns>
    public bool Delete(string path) => Delete(ParseKey(path));

    /// <summary>Removes the value at a path and its whole subtree; see <see cref="Delete(string)"/>.</summary>
    /// <param name="path">The path.</param>
    /// <returns>Whether anything was removed.</returns>
    public bool Delete(StatePath path)
    {
        ThrowIfNotWritable(path);
        bool removed;
        using (GraphLock.Enter())
        {
            ThrowIfDisposed();
            BeginCommit();
            try
            {
                removed = ApplyDelete(path);
            }
            finally
            {
                EndCommit();
            }
        }

        if (removed)
        {
            AfterCommit();
        }

        return removed;
    }

    /// <summary>Notifies the subscribers of a path without changing state.</summary>
    /// <param name="path">The dotted path (it need not hold a value).</param>
    /// <param name="payload">An object handed to subscribers as <see cref="StateEvent.Payload"/>.</param>
    public void Ping(string path, object? payload = null) => Ping(ParseKey(path), payload);

    /// <summary>Notifies the subscribers of a path without changing state.</summary>
    /// <param name="path">The path.</param>
    /// <param name="payload">An object handed to subscribers as <see cref="StateEvent.Payload"/>.</param>
    public void Ping(StatePath path, object? payload = null)
    {
        ThrowIfNotKey(path);
        using (GraphLock.Enter())
        {
            ThrowIfDisposed();
            Emit(StateEventType.Ping, path, null, null, null, payload);
        }

        AfterCommit();
    }

    /// <summary>Applies several writes atomically: readers never see a partial batch, and events are delivered after the
    /// commit, in write order. An exception inside the batch rolls every write back, emits nothing, and is rethrown.</summary>
    /// <param name="writes">The writes; reads through the writer see the batch's own writes.</param>
    /// <remarks>The batch holds the store's write lock while <paramref name="writes"/> runs: keep it short, and do not wait
    /// in it for other threads that use the store. A batch started inside a batch joins it (and rolls back alone if it throws).</remarks>
    public void Batch(Action<IStateWriter> writes)
    {
        ArgumentNullException.ThrowIfNull(writes);
        using (GraphLock.Enter())
        {
            ThrowIfDisposed();
            if (_batch is not null)
            {
                RunNested(_batch, writes);
                return;
            }

            var batch = new BatchScope(new BatchWriter(this));
            BeginCommit();
            _batch = batch;
            try
            {
                writes(batch.Writer);
                foreach (StateEvent pending in batch.Events)
                {
                    _dispatcher.Enqueue(pending);
                }
            }
            catch
            {
                Rollback(batch, 0);
                throw;
            }
            finally
            {
                batch.Writer.Close();
                _batch = null;
                EndCommit();
            }
        }

        AfterCommit();
    }

    private void RunNested(BatchScope batch, Action<IStateWriter> writes)
    {
        int undoMark = batch.Undo.Count;
        int eventMark = batch.Events.Count;
        try
        {
            writes(batch.Writer);
        }
        catch
        {
            Rollback(batch, undoMark);
            batch.Events.RemoveRange(eventMark, batch.Events.Count - eventMark);
            throw;
        }
    }

    private StateEntry<T> ApplySet<T>(StatePath path, T value, SetOptions? options, bool derivedWrite = false, IEqualityComparer<T>? typedComparer = null)
    {
        if (!derivedWrite)
        {
            ThrowIfDerived(path);
        }

        TableNode? node = _table.Find(path.Value);
        StateEntry? current = node?.Entry;
        if (current is not null && AreEqual(current, value, options?.Comparer, typedComparer))
        {
            return current as StateEntry<T> ?? new StateEntry<T>(value, current.Metadata);
        }

        if (node is null)
        {
            node = _table.GetOrCreateLeaf(path);
        }
        else if (current is null)
        {
            // A node without an entry is an interior node: a value cannot replace its children.
            throw EntryTable.HasChildrenConflict(path, node);
        }

        DateTimeOffset now = _timeProvider.GetUtcNow();
        EntryMetadata metadata = current is null ? new EntryMetadata(1, now, now) : current.Metadata.Next(now);
        var entry = new StateEntry<T>(value, metadata);
        _batch?.Undo.Add(new KeyValuePair<StatePath, StateEntry?>(path, current));
        _table.Put(node, entry);
        if (!derivedWrite)
        {
            // A derived value reaches its readers through its computed node; only stored paths bump path signals.
            NotifyChanged(path, includeDescendants: false);
        }

        Emit(StateEventType.Set, path, entry, current, null, options?.Payload);
        return entry;
    }

    private bool ApplyDelete(StatePath path, bool derivedWrite = false)
    {
        if (!derivedWrite)
        {
            ThrowIfDerivedWithin(path);
        }

        TableNode? node = _table.Find(path.Value);
        if (node is null)
        {
            return false;
        }

        var removed = new List<KeyValuePair<StatePath, StateEntry>>();
        StateEntry? leaf = node.Entry;
        _table.RemoveSubtree(node, removed);
        if (_batch is not null)
        {
            foreach (KeyValuePair<StatePath, StateEntry> item in removed)
            {
                _batch.Undo.Add(new KeyValuePair<StatePath, StateEntry?>(item.Key, item.Value));
            }
        }

        SubtreeSnapshot? subtree = leaf is null ? new SubtreeSnapshot(path, removed) : null;
        NotifyChanged(path, includeDescendants: true);
        Emit(StateEventType.Delete, path, null, leaf, subtree, null);
        return true;
    }

    private static bool AreEqual<T>(StateEntry current, T value, IEqualityComparer? comparer, IEqualityComparer<T>? typedComparer = null)
    {
        if (current is StateEntry<T> typed)
        {
            if (typedComparer is not null)
            {
                return typedComparer.Equals(typed.Value, value);
            }

            if (comparer is null)
            {
                return EqualityComparer<T>.Default.Equals(typed.Value, value);
            }

            if (comparer is IEqualityComparer<T> genericComparer)
            {
                return genericComparer.Equals(typed.Value, value);
            }
        }

        return comparer is not null ? comparer.Equals(current.UntypedValue, value) : Equals(current.UntypedValue, value);
    }

    private void Emit(StateEventType type, StatePath path, StateEntry? entry, StateEntry? previous, SubtreeSnapshot? previousSubtree, object? payload)
    {
        long version = _version + 1;
        Volatile.Write(ref _version, version);
        if (!_index.HasMatch(path))
        {
            // Nobody can receive it: subscriptions register under the write lock, and a later one only
            // sees versions after its registration.
            return;
        }

        var stateEvent = new StateEvent(type, path, version, entry, previous, previousSubtree, payload, EventOrigin.Local, _converter);
        if (_batch is null)
        {
            _dispatcher.Enqueue(stateEvent);
        }
        else
        {
            _batch.Events.Add(stateEvent);
        }
    }

    private void Rollback(BatchScope batch, int undoMark)
    {
        List<KeyValuePair<StatePath, StateEntry?>> undo = batch.Undo;
        var scratch = new List<KeyValuePair<StatePath, StateEntry>>();
        for (int i = undo.Count - 1; i >= undoMark; i--)
        {
            (StatePath path, StateEntry? previous) = undo[i];
            TableNode? node = _table.Find(path.Value);
            if (previous is null)
            {
                if (node is not null)
                {
                    scratch.Clear();
                    _table.RemoveSubtree(node, scratch);
                }
            }
            else
            {
                _table.Put(node ?? _table.GetOrCreateLeaf(path), previous);
            }
        }

        undo.RemoveRange(undoMark, undo.Count - undoMark);
    }

    /// <summary>Opens a commit: readers retry until it closes, and signal effects wait for its end.</summary>
    /// <remarks>The caller holds the graph lock. Commits nest (a batch, an effect writing during a commit).</remarks>
    private void BeginCommit()
    {
        if (_commitDepth++ == 0)
        {
            Volatile.Write(ref _commitSequence, _commitSequence + 1);
        }

        SignalGraph.s_batchDepth++;
    }

    /// <summary>Closes a commit; the outermost one runs the effects its writes triggered (derived values, trackers) first.</summary>
    private void EndCommit()
    {
        SignalGraph.s_batchDepth--;
        try
        {
            SignalGraph.FlushIfIdle();
        }
        finally
        {
            if (--_commitDepth == 0)
            {
                Volatile.Write(ref _commitSequence, _commitSequence + 1);
            }
        }
    }

    private void AfterCommit()
    {
        if (!GraphLock.IsHeldByCurrentThread)
        {
            _dispatcher.AfterCommit();
        }
    }

    private static StatePath ParseKey(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return StatePath.Parse(path);
    }

    private static void ThrowIfNotKey(StatePath path)
    {
        if (path.IsRoot)
        {
            throw new ArgumentException("The root path is not a key: name a path with at least one segment.", nameof(path));
        }
    }

    private static void ThrowIfNotWritable(StatePath path)
    {
        ThrowIfNotKey(path);
        if (path.IsReserved)
        {
            throw new InvalidPathException(
                $"Invalid path '{path}': segments starting with '{PathGrammar.ReservedPrefix}' are reserved for the system.",
                path.ToString(),
                -1);
        }
    }

    /// <summary>The state of the batch being applied: its writer, its undo log and its pending events.</summary>
    private sealed class BatchScope(BatchWriter writer)
    {
        public BatchWriter Writer { get; } = writer;

        public List<KeyValuePair<StatePath, StateEntry?>> Undo { get; } = [];

        public List<StateEvent> Events { get; } = [];
    }
}
