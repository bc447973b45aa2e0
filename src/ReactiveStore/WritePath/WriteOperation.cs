namespace ReactiveStore;

/// <summary>One value write travelling through the write path: what is written, where, over what, and when.</summary>
/// <typeparam name="T">The value type.</typeparam>
/// <remarks>A struct passed by reference through the decorator chain, so a write allocates no operation object.</remarks>
internal readonly struct WriteOperation<T>(StatePath path, T value, SetOptions? options, StateEntry? current, DateTimeOffset now, ChangeCause cause, byte[]? json, int threadId, TableNode? node = null)
{
    public StatePath Path { get; } = path;

    public T Value { get; } = value;

    public SetOptions? Options { get; } = options;

    /// <summary>The entry being replaced, or <see langword="null"/> for a new key.</summary>
    public StateEntry? Current { get; } = current;

    public DateTimeOffset Now { get; } = now;

    /// <summary>Why the write is committed.</summary>
    public ChangeCause Cause { get; } = cause;

    /// <summary>Whether a derivation writes the value (derived values are recomputed, never persisted).</summary>
    public bool IsDerived => Cause == ChangeCause.Derived;

    /// <summary>The value's canonical JSON when the caller already has it (the validator wrote it for a durable store).</summary>
    public byte[]? Json { get; } = json;

    /// <summary>The managed id of the thread that asked for the write (the event's origin).</summary>
    public int ThreadId { get; } = threadId;

    /// <summary>The table node written (its cached subscription matches serve the event).</summary>
    public TableNode? Node { get; } = node;
}

/// <summary>One delete travelling through the write path: the path, and every value it removes.</summary>
internal sealed class DeleteOperation(StatePath path, StateEntry? own, List<KeyValuePair<StatePath, StateEntry>> removed, SubtreeSnapshot? subtree, ChangeCause cause, DateTimeOffset now, int threadId, TableNode? node = null)
{
    public StatePath Path { get; } = path;

    /// <summary>The value stored at the path itself, if any.</summary>
    public StateEntry? Own { get; } = own;

    /// <summary>Every removed value, in path order (the path's own value first when it had one).</summary>
    public List<KeyValuePair<StatePath, StateEntry>> Removed { get; } = removed;

    /// <summary>The removed values as a subtree (for the event's previous value), when more than the path's own value went.</summary>
    public SubtreeSnapshot? Subtree { get; } = subtree;

    /// <summary>Why the delete is committed (an expiry removes only the key's own value).</summary>
    public ChangeCause Cause { get; } = cause;

    /// <summary>When the delete is committed, by the store's clock.</summary>
    public DateTimeOffset Now { get; } = now;

    /// <summary>Whether storage should see the delete (not for derived values, which are never persisted).</summary>
    public bool Persist => Cause != ChangeCause.Derived;

    /// <summary>The managed id of the thread that asked for the delete (the event's origin).</summary>
    public int ThreadId { get; } = threadId;

    /// <summary>The table node deleted.</summary>
    public TableNode? Node { get; } = node;
}
