namespace ReactiveStore;

/// <summary>A value write as a commit operation (<see cref="StateStore.Set{T}(StatePath, T, SetOptions?)"/> and friends).</summary>
internal struct SetOperation<T>(WriteApplier applier, StatePath path, T value, SetOptions? options, byte[]? json, bool derived = false, IEqualityComparer<T>? comparer = null)
    : ICommitOperation
{
    private readonly int _threadId = Environment.CurrentManagedThreadId;

    /// <summary>The resulting entry (the current one when the value was equal).</summary>
    public StateEntry<T>? Result;

    /// <summary>Whether the value changed (an equal value writes nothing).</summary>
    public bool Changed;

    /// <summary>The entry the write replaced, if any.</summary>
    public StateEntry? Previous;

    /// <summary>Why the write is committed (set by the store before it commits).</summary>
    public ChangeCause Cause { readonly get; set; } = derived ? ChangeCause.Derived : ChangeCause.Write;

    /// <summary>Whether writing <see langword="default"/> to a missing key writes nothing (a generated property reads a
    /// missing key as <see langword="default"/>, so such a write changes nothing it can see).</summary>
    public bool SkipDefaultWhenMissing;

    public readonly bool IsPortable => true;

    public void Stage(Commit commit)
    {
        if (SkipDefaultWhenMissing && EqualityComparer<T>.Default.Equals(value, default!) && !applier.HasCurrentValue(path))
        {
            Changed = false;
            return;
        }

        Result = applier.Set(commit, path, value, options, json, _threadId, Cause, comparer, out Changed, out Previous);
    }
}

/// <summary>Stores a value only when the path holds none (<see cref="StateStore.GetOrAdd{T}(StatePath, T)"/>).</summary>
internal struct GetOrAddOperation<T>(WriteApplier applier, StateStore store, StatePath path, T value, byte[]? json) : ICommitOperation
{
    private readonly int _threadId = Environment.CurrentManagedThreadId;

    /// <summary>What is stored after the operation.</summary>
    public T? Result;

    public ChangeCause Cause { readonly get; set; }

    public readonly bool IsPortable => true;

    public void Stage(Commit commit)
    {
        // Runs on the committing thread with the staged view, so the check and the write are one step.
        if (store.TryGet(path, out T? existing))
        {
            Result = existing;
            return;
        }

        Result = applier.Set(commit, path, value, null, json, _threadId, Cause, typedComparer: null, out _, out _).Value;
    }
}

/// <summary>A delete as a commit operation.</summary>
internal struct DeleteCommitOperation(WriteApplier applier, StatePath path, bool derived = false) : ICommitOperation
{
    private readonly int _threadId = Environment.CurrentManagedThreadId;

    /// <summary>Whether anything was removed.</summary>
    public bool Removed;

    public ChangeCause Cause { readonly get; set; } = derived ? ChangeCause.Derived : ChangeCause.Write;

    public readonly bool IsPortable => true;

    public void Stage(Commit commit) => Removed = applier.Delete(commit, path, _threadId, Cause);
}

/// <summary>A ping as a commit operation.</summary>
internal struct PingOperation(WriteApplier applier, StatePath path, object? payload) : ICommitOperation
{
    private readonly int _threadId = Environment.CurrentManagedThreadId;

    public ChangeCause Cause { readonly get; set; }

    public readonly bool IsPortable => true;

    public readonly void Stage(Commit commit) => applier.Ping(commit, path, payload, _threadId, Cause);
}

/// <summary>A batch: the caller's delegate, run on the committing thread with a writer bound to the commit.</summary>
internal struct BatchOperation(StateStore store, Action<IStateWriter> writes, bool portable) : ICommitOperation
{
    public readonly bool IsPortable => portable;

    /// <summary>Why the batch runs; its writes are recorded with the cause of their own (the batch's thread's) context.</summary>
    public ChangeCause Cause { readonly get; set; }

    public readonly void Stage(Commit commit)
    {
        var writer = new BatchWriter(store);
        try
        {
            writes(writer);
        }
        finally
        {
            writer.Close();
        }
    }
}

/// <summary>Runs an arbitrary staging step of the store's own (registering a derivation, expiring due values).</summary>
internal struct DelegateOperation<TState>(TState state, Action<TState, Commit> stage, bool portable) : ICommitOperation
{
    public readonly bool IsPortable => portable;

    public ChangeCause Cause { readonly get; set; }

    public readonly void Stage(Commit commit) => stage(state, commit);
}
