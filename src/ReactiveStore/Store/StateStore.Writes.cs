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
        options?.Validate();
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
            BeginCommit();
            try
            {
                Emit(StateEventType.Ping, path, null, null, null, payload);
            }
            finally
            {
                EndCommit();
            }
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
            if (_scope?.Writer is { } outer)
            {
                RunNested(_scope, outer, writes);
                return;
            }

            BeginCommit();
            CommitScope scope = _scope!;
            var writer = new BatchWriter(this);
            scope.Writer = writer;
            scope.TrackUndo = true;
            try
            {
                writes(writer);
            }
            catch
            {
                Rollback(scope, 0, 0, 0);
                throw;
            }
            finally
            {
                writer.Close();
                scope.Writer = null;
                EndCommit();
            }
        }

        AfterCommit();
    }

    private void RunNested(CommitScope scope, BatchWriter writer, Action<IStateWriter> writes)
    {
        int undoMark = scope.Undo.Count;
        int eventMark = scope.Events.Count;
        int storageMark = scope.StorageWrites.Count;
        try
        {
            writes(writer);
        }
        catch
        {
            Rollback(scope, undoMark, eventMark, storageMark);
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
        if (current is not null && IsExpired(current))
        {
            // An expired entry is gone: its Delete event comes first, then this write creates the key afresh.
            ApplyDelete(path, derivedWrite: true, expiry: true);
            node = null;
            current = null;
        }

        if (options?.ExpectedVersion is { } expected && expected != (current?.Metadata.Version ?? 0))
        {
            throw new VersionConflictException(path, expected, current?.Metadata.Version ?? 0);
        }

        if (current is not null && AreEqual(current, value, options?.Comparer, typedComparer))
        {
            return current as StateEntry<T> ?? new StateEntry<T>(value, current.Metadata);
        }

        bool created = node is null;
        if (node is null)
        {
            node = _table.GetOrCreateLeaf(path);
        }
        else if (current is null)
        {
            // A node without an entry is an interior node: a value cannot replace its children.
            throw EntryTable.HasChildrenConflict(path, node);
        }

        StateEntry<T> entry;
        try
        {
            var operation = new WriteOperation<T>(path, value, options, current, _timeProvider.GetUtcNow(), derivedWrite);
            entry = _orchestrator.Set(operation);
        }
        catch when (created)
        {
            // Leave no empty leaf behind when a write-path service fails.
            _table.RemoveSubtree(node);
            throw;
        }

        if (_scope!.TrackUndo)
        {
            _scope.Undo.Add(new KeyValuePair<StatePath, StateEntry?>(path, current));
        }

        _table.Put(node, entry);
        if (entry.Metadata.ExpiresAt is { } expiresAt)
        {
            _expiry.Schedule(path, expiresAt);
        }

        if (!derivedWrite)
        {
            // A derived value reaches its readers through its computed node; only stored paths bump path signals.
            NotifyChanged(path, includeDescendants: false);
        }

        return entry;
    }

    private bool ApplyDelete(StatePath path, bool derivedWrite = false, bool expiry = false)
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

        StateEntry? leaf = node.Entry;
        var removed = new List<KeyValuePair<StatePath, StateEntry>>();
        EntryTable.CollectLeaves(node, removed);
        var operation = new DeleteOperation(path, leaf, removed, leaf is null ? new SubtreeSnapshot(path, removed) : null, persist: !derivedWrite || expiry);
        _orchestrator.Delete(operation);
        _table.RemoveSubtree(node);
        if (_scope!.TrackUndo)
        {
            foreach (KeyValuePair<StatePath, StateEntry> item in removed)
            {
                _scope.Undo.Add(new KeyValuePair<StatePath, StateEntry?>(item.Key, item.Value));
            }
        }

        NotifyChanged(path, includeDescendants: true);
        return true;
    }

    private bool AreEqual<T>(StateEntry current, T value, IEqualityComparer? comparer, IEqualityComparer<T>? typedComparer = null)
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

        if (comparer is null && current is StateEntry<System.Text.Json.JsonElement> loaded && value is not System.Text.Json.JsonElement)
        {
            // A value loaded from storage is JSON until it is rewritten: compare it as JSON.
            return System.Text.Json.JsonElement.DeepEquals(loaded.Value, System.Text.Json.JsonSerializer.SerializeToElement(value, _converter.Options));
        }

        return comparer is not null ? comparer.Equals(current.UntypedValue, value) : Equals(current.UntypedValue, value);
    }

    /// <summary>Assigns the next store version and queues the event in the open commit; it is delivered once the commit ends.</summary>
    void IStateEventSink.Emit(StateEventType type, StatePath path, StateEntry? entry, StateEntry? previous, SubtreeSnapshot? previousSubtree, object? payload) =>
        Emit(type, path, entry, previous, previousSubtree, payload);

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

        _scope!.Events.Add(new StateEvent(type, path, version, entry, previous, previousSubtree, payload, EventOrigin.Local, _converter));
    }

    private void Rollback(CommitScope scope, int undoMark, int eventMark, int storageMark)
    {
        List<KeyValuePair<StatePath, StateEntry?>> undo = scope.Undo;
        for (int i = undo.Count - 1; i >= undoMark; i--)
        {
            (StatePath path, StateEntry? previous) = undo[i];
            TableNode? node = _table.Find(path.Value);
            if (previous is null)
            {
                if (node is not null)
                {
                    _table.RemoveSubtree(node);
                }
            }
            else
            {
                _table.Put(node ?? _table.GetOrCreateLeaf(path), previous);
            }

            // Computations that read the undone write during the commit must read again.
            NotifyChanged(path, includeDescendants: true);
        }

        undo.RemoveRange(undoMark, undo.Count - undoMark);
        scope.Events.RemoveRange(eventMark, scope.Events.Count - eventMark);
        scope.StorageWrites.RemoveRange(storageMark, scope.StorageWrites.Count - storageMark);
    }

    /// <summary>Opens a commit: readers retry until it closes, and signal effects wait for its end.</summary>
    /// <remarks>The caller holds the graph lock. Commits nest (a batch, an effect writing during a commit); the outermost
    /// one owns the <see cref="CommitScope"/>.</remarks>
    private void BeginCommit()
    {
        if (_commitDepth++ == 0)
        {
            Volatile.Write(ref _commitSequence, _commitSequence + 1);
            _scope = _reusableScope;
            _scope.TrackUndo = _storage is not null;
        }

        SignalGraph.s_batchDepth++;
    }

    /// <summary>Closes a commit. The outermost one persists the staged storage writes (rolling everything back if the
    /// storage fails), runs the effects its writes triggered (derived values, trackers), then hands its events to the
    /// dispatcher in commit order.</summary>
    private void EndCommit()
    {
        CommitScope scope = _scope!;
        if (_commitDepth == 1 && scope.StorageWrites.Count > 0)
        {
            try
            {
                _storage!.Write(scope.StorageWrites);
            }
            catch
            {
                Rollback(scope, 0, 0, 0);
                CloseCommit(scope);
                throw;
            }
        }

        CloseCommit(scope);
    }

    private void CloseCommit(CommitScope scope)
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
                foreach (StateEvent pending in scope.Events)
                {
                    _dispatcher.Enqueue(pending);
                }

                scope.Clear();
                _scope = null;
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

    /// <summary>What the open commit has done so far: its events, its undo log, its staged storage writes and, for a batch, its writer.</summary>
    /// <remarks>One instance per store, reused: commits are serialized by the graph lock.</remarks>
    private sealed class CommitScope
    {
        public List<StateEvent> Events { get; } = [];

        public List<KeyValuePair<StatePath, StateEntry?>> Undo { get; } = [];

        public List<Storage.StorageWrite> StorageWrites { get; } = [];

        public BatchWriter? Writer { get; set; }

        public bool TrackUndo { get; set; }

        public void Clear()
        {
            Events.Clear();
            Undo.Clear();
            StorageWrites.Clear();
            Writer = null;
            TrackUndo = false;
        }
    }
}
