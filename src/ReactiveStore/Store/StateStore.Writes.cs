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
    /// <exception cref="StateSerializationException">The value cannot be stored exactly (see the message); nothing is written.</exception>
    /// <exception cref="VersionConflictException">The write's <see cref="SetOptions.ExpectedVersion"/> does not match.</exception>
    /// <exception cref="ObjectDisposedException">The store was shut down.</exception>
    /// <remarks>When this returns, the write is visible to every reader and, with a durable driver, durable as that
    /// driver's mode promises. Inside an effect, a <c>Track</c> callback or a computed (or while staging a batch of another
    /// store) a write that would have to wait is queued instead and commits as soon as that code returns; it then returns
    /// the entry as it will be written.</remarks>
    public StateEntry<T> Set<T>(string path, T value, SetOptions? options = null) => Set(ParseKey(path), value, options);

    /// <summary>Stores a value at a typed key; see <see cref="Set{T}(string, T, SetOptions?)"/>.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="key">The typed key.</param>
    /// <param name="value">The value.</param>
    /// <param name="options">Options for the write.</param>
    /// <returns>The resulting entry.</returns>
    /// <exception cref="InvalidOperationException">The key is a generated derived member's key (only its derivation writes it).</exception>
    public StateEntry<T> Set<T>(StateKey<T> key, T value, SetOptions? options = null)
    {
        key.EnsureDerived(this); // a derived member's key refuses the write clearly, even before anything read it
        return Set(key.Path, value, options);
    }

    /// <summary>Stores a value; see <see cref="Set{T}(string, T, SetOptions?)"/>.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="path">The path.</param>
    /// <param name="value">The value.</param>
    /// <param name="options">Options for the write.</param>
    /// <returns>The resulting entry.</returns>
    public StateEntry<T> Set<T>(StatePath path, T value, SetOptions? options = null)
    {
        SetOperation<T> operation = PrepareSet(path, value, options);
        if (!CommitNow(ref operation, persists: true))
        {
            return DeferSet(path, value, options);
        }

        return operation.Result!;
    }

    /// <summary>Stores a value without blocking the calling thread on storage I/O; see <see cref="Set{T}(string, T, SetOptions?)"/>.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="path">The dotted path.</param>
    /// <param name="value">The value.</param>
    /// <param name="options">Options for the write.</param>
    /// <param name="cancellationToken">Cancels the write while it waits for its commit; once it commits, it completes.</param>
    /// <returns>The resulting entry, once it is durable and visible.</returns>
    /// <remarks>Concurrent writers to one durable store share one storage transaction (group commit). A write cancelled
    /// before its commit writes nothing.</remarks>
    public ValueTask<StateEntry<T>> SetAsync<T>(string path, T value, SetOptions? options = null, CancellationToken cancellationToken = default) =>
        SetAsync(ParseKey(path), value, options, cancellationToken);

    /// <summary>Stores a value at a typed key without blocking on storage I/O.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="key">The typed key.</param>
    /// <param name="value">The value.</param>
    /// <param name="options">Options for the write.</param>
    /// <param name="cancellationToken">Cancels the write while it waits for its commit.</param>
    /// <returns>The resulting entry.</returns>
    public ValueTask<StateEntry<T>> SetAsync<T>(StateKey<T> key, T value, SetOptions? options = null, CancellationToken cancellationToken = default)
    {
        key.EnsureDerived(this);
        return SetAsync(key.Path, value, options, cancellationToken);
    }

    /// <summary>Stores a value without blocking on storage I/O; see <see cref="SetAsync{T}(string, T, SetOptions?, CancellationToken)"/>.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="path">The path.</param>
    /// <param name="value">The value.</param>
    /// <param name="options">Options for the write.</param>
    /// <param name="cancellationToken">Cancels the write while it waits for its commit.</param>
    /// <returns>The resulting entry.</returns>
    public async ValueTask<StateEntry<T>> SetAsync<T>(StatePath path, T value, SetOptions? options = null, CancellationToken cancellationToken = default)
    {
        SetOperation<T> operation = PrepareSet(path, value, options);
        operation.Cause = DeferredWrites.CauseOnThisThread;
        operation = await _pipeline.ExecuteAsync(operation, captureContext: false, cancellationToken).ConfigureAwait(false);
        AfterCommit();
        return operation.Result!;
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

        byte[]? json = _validator.Validate(path, value, captureJson: _storage is not null);
        var operation = new GetOrAddOperation<T>(_applier, this, path, value, json);
        if (!CommitNow(ref operation, persists: true))
        {
            Defer($"GetOrAdd '{path}'", (path, value), static (store, state) => store.GetOrAdd(state.path, state.value));
            return value;
        }

        return operation.Result;
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
        var operation = new DeleteCommitOperation(_applier, path);
        if (!CommitNow(ref operation, persists: true))
        {
            bool present = ReadEntry(path, out bool hasDescendants, track: false) is not null || hasDescendants;
            Defer($"Delete '{path}'", path, static (store, p) => store.Delete(p));
            return present;
        }

        return operation.Removed;
    }

    /// <summary>Removes a value and its subtree without blocking on storage I/O; see <see cref="Delete(string)"/>.</summary>
    /// <param name="path">The dotted path.</param>
    /// <param name="cancellationToken">Cancels the delete while it waits for its commit.</param>
    /// <returns>Whether anything was removed.</returns>
    public ValueTask<bool> DeleteAsync(string path, CancellationToken cancellationToken = default) => DeleteAsync(ParseKey(path), cancellationToken);

    /// <summary>Removes a value and its subtree without blocking on storage I/O.</summary>
    /// <param name="path">The path.</param>
    /// <param name="cancellationToken">Cancels the delete while it waits for its commit.</param>
    /// <returns>Whether anything was removed.</returns>
    public async ValueTask<bool> DeleteAsync(StatePath path, CancellationToken cancellationToken = default)
    {
        ThrowIfNotWritable(path);
        var operation = new DeleteCommitOperation(_applier, path) { Cause = DeferredWrites.CauseOnThisThread };
        operation = await _pipeline.ExecuteAsync(operation, captureContext: false, cancellationToken).ConfigureAwait(false);
        AfterCommit();
        return operation.Removed;
    }

    /// <summary>Notifies the subscribers of a path without changing state.</summary>
    /// <param name="path">The dotted path (it need not hold a value).</param>
    /// <param name="payload">An object handed to subscribers as <see cref="StateEvent.Payload"/>.</param>
    public void Ping(string path, object? payload = null) => Ping(ParseKey(path), payload);

    /// <summary>Notifies the subscribers of a path without changing state.</summary>
    /// <param name="path">The path.</param>
    /// <param name="payload">An object handed to subscribers as <see cref="StateEvent.Payload"/>.</param>
    /// <exception cref="InvalidPathException">The path is reserved (a segment starts with <c>__</c>).</exception>
    public void Ping(StatePath path, object? payload = null)
    {
        ThrowIfNotWritable(path);
        var operation = new PingOperation(_applier, path, payload);
        if (!CommitNow(ref operation, persists: false))
        {
            Defer($"Ping '{path}'", (path, payload), static (store, state) => store.Ping(state.path, state.payload));
        }
    }

    /// <summary>Applies several writes atomically: readers never see a partial batch, and events are delivered after the
    /// commit, in write order. An exception inside the batch rolls every write back, emits nothing, and is rethrown.</summary>
    /// <param name="writes">The writes; reads through the writer (or the store, on this thread) see the batch's own writes.</param>
    /// <remarks>The delegate runs on the calling thread while the batch holds this store's commit turn: other writers of
    /// this store wait, readers and other stores do not. Keep it short. A batch started inside a batch joins it (and rolls
    /// back alone if it throws). Derived paths read inside the batch show their value as of the last commit; they
    /// recompute once the batch commits.</remarks>
    public void Batch(Action<IStateWriter> writes)
    {
        ArgumentNullException.ThrowIfNull(writes);
        var operation = new BatchOperation(this, writes, portable: false);
        if (_pipeline.IsStagingOnCurrentThread)
        {
            _pipeline.Execute(ref operation);
            return;
        }

        ThrowIfDisposed();
        if (DeferredWrites.MustDefer)
        {
            if (_storage is null && !DeferredWrites.HasPending && _pipeline.TryExecuteNow(ref operation))
            {
                return;
            }

            Defer("Batch", writes, static (store, w) => store.Batch(w));
            return;
        }

        _pipeline.Execute(ref operation);
        AfterCommit();
    }

    /// <summary>Applies several writes atomically without blocking the calling thread on storage I/O; see <see cref="Batch"/>.</summary>
    /// <param name="writes">The writes. The delegate may run on another thread (the one committing), with the caller's
    /// execution context.</param>
    /// <param name="cancellationToken">Cancels the batch while it waits for its commit; the delegate then does not run.</param>
    /// <returns>A task that completes once the batch is durable and visible.</returns>
    public async ValueTask BatchAsync(Action<IStateWriter> writes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writes);
        ThrowIfDisposed();
        await _pipeline.ExecuteAsync(new BatchOperation(this, writes, portable: true), captureContext: true, cancellationToken).ConfigureAwait(false);
        AfterCommit();
    }

    /// <summary>Writes <paramref name="value"/> in one commit and reports whether it changed the stored value and what it
    /// replaced (what generated setters call).</summary>
    /// <remarks>Writing <see langword="default"/> to a missing key writes nothing (the property already reads it).</remarks>
    internal bool SetIfChanged<T>(StatePath path, T value, out T? previous)
    {
        SetOperation<T> operation = PrepareSet(path, value, null);
        operation.SkipDefaultWhenMissing = true;
        if (!CommitNow(ref operation, persists: true))
        {
            StateEntry? current = ReadEntry(path, out _, track: false);
            previous = current is null ? default : current is StateEntry<T> known ? known.Value : _converter.Convert<T>(path, current.UntypedValue);
            bool changed = current is null ? !EqualityComparer<T>.Default.Equals(default!, value) : !EqualityComparer<T>.Default.Equals(previous!, value);
            if (changed)
            {
                DeferSet(path, value, null);
            }

            return changed;
        }

        previous = operation.Previous switch
        {
            null => default,
            StateEntry<T> typed => typed.Value,
            StateEntry other => _converter.Convert<T>(path, other.UntypedValue),
        };
        return operation.Changed;
    }

    /// <summary>Writes a derived value (never persisted) if it differs from the stored one; returns <see langword="false"/>
    /// when this thread cannot commit now (the caller queues the write).</summary>
    internal bool TryWriteDerived<T>(StatePath destination, T value, IEqualityComparer<T> comparer)
    {
        var operation = new SetOperation<T>(_applier, destination, value, null, null, derived: true, comparer);
        return CommitNow(ref operation, persists: false);
    }

    /// <summary>Removes a derived value (never persisted); returns <see langword="false"/> when this thread cannot commit now.</summary>
    internal bool TryDeleteDerived(StatePath destination)
    {
        var operation = new DeleteCommitOperation(_applier, destination, derived: true);
        return CommitNow(ref operation, persists: false);
    }

    /// <summary>Runs a staging step of the store's own (derivation registration) as one commit on this thread.</summary>
    internal void CommitOwn<TState>(TState state, Action<TState, Commit> stage)
    {
        var operation = new DelegateOperation<TState>(state, stage, portable: false);
        _pipeline.Execute(ref operation);
        AfterCommit();
    }

    /// <summary>Queues a store-internal write on this thread (see <see cref="DeferredWrites"/>).</summary>
    internal void DeferInternal<TState>(string description, TState state, Action<StateStore, TState> write) => Defer(description, state, write);

    /// <summary>Commits <paramref name="operation"/> on this thread, or returns <see langword="false"/> when it must be queued.</summary>
    /// <param name="operation">The operation.</param>
    /// <param name="persists">Whether the operation may write to storage (then it never commits under the engine lock).</param>
    private bool CommitNow<TOp>(ref TOp operation, bool persists)
        where TOp : struct, ICommitOperation
    {
        if (operation.Cause != ChangeCause.Derived)
        {
            operation.Cause = DeferredWrites.CauseOnThisThread;
        }

        if (!DeferredWrites.MustDefer || _pipeline.IsStagingOnCurrentThread)
        {
            _pipeline.Execute(ref operation);
            AfterCommit();
            return true;
        }

        // This thread holds the engine lock or another store's turn: it must not wait for this store. Commit now only if
        // that needs no waiting and no I/O, and only if nothing it queued earlier is pending (writes keep their order).
        if ((!persists || _storage is null) && !DeferredWrites.HasPending && _pipeline.TryExecuteNow(ref operation))
        {
            return true;
        }

        ThrowIfDisposed();
        return false;
    }

    private SetOperation<T> PrepareSet<T>(StatePath path, T value, SetOptions? options)
    {
        ThrowIfNotWritable(path);
        if (options is not null)
        {
            options.Validate();
            ValueValidator.ValidateOptions(path, options);
        }

        byte[]? json = _validator.Validate(path, value, captureJson: _storage is not null);
        return new SetOperation<T>(_applier, path, value, options, json);
    }

    /// <summary>Queues a write of a thread that must not wait, and returns the entry as it will be written.</summary>
    private StateEntry<T> DeferSet<T>(StatePath path, T value, SetOptions? options)
    {
        StateEntry? current = ReadEntry(path, out _, track: false);
        DateTimeOffset now = _timeProvider.GetUtcNow();
        EntryMetadata predicted = current is null or CorruptStateEntry
            ? _metadata.Create(path, options, now)
            : _metadata.Next(current.Metadata, options, now);
        Defer($"Set '{path}'", (path, value, options), static (store, state) => store.Set(state.path, state.value, state.options));
        return new StateEntry<T>(value, predicted);
    }

    private void Defer<TState>(string description, TState state, Action<StateStore, TState> write) =>
        DeferredWrites.Defer(new DeferredWrite<TState>(this, description, state, write));

    private void AfterCommit()
    {
        if (!DeferredWrites.MustDefer)
        {
            _dispatcher.AfterCommit();
        }
    }

    /// <summary>Throws unless the current thread is running a batch of this store (a batch writer is valid only there).</summary>
    internal void ThrowIfNotStagingOnThisThread()
    {
        if (!_pipeline.IsStagingOnCurrentThread)
        {
            throw new InvalidOperationException("A batch writer can be used only on the thread running the batch, while the batch runs.");
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
}
