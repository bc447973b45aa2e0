namespace ReactiveStore;

/// <summary>One value write travelling through the write path: what is written, where, over what, and when.</summary>
/// <typeparam name="T">The value type.</typeparam>
/// <remarks>A struct passed by reference through the decorator chain, so a write allocates no operation object.</remarks>
internal readonly struct WriteOperation<T>(StatePath path, T value, SetOptions? options, StateEntry? current, DateTimeOffset now, bool derived)
{
    public StatePath Path { get; } = path;

    public T Value { get; } = value;

    public SetOptions? Options { get; } = options;

    /// <summary>The entry being replaced, or <see langword="null"/> for a new key.</summary>
    public StateEntry? Current { get; } = current;

    public DateTimeOffset Now { get; } = now;

    /// <summary>Whether a derivation writes the value (derived values are recomputed, never persisted).</summary>
    public bool IsDerived { get; } = derived;
}

/// <summary>One delete travelling through the write path: the path, and every leaf it removes.</summary>
internal sealed class DeleteOperation(StatePath path, StateEntry? leaf, List<KeyValuePair<StatePath, StateEntry>> removed, SubtreeSnapshot? subtree, bool persist)
{
    public StatePath Path { get; } = path;

    /// <summary>The removed entry when the path was a leaf; <see langword="null"/> for a subtree.</summary>
    public StateEntry? Leaf { get; } = leaf;

    /// <summary>Every removed leaf, in path order.</summary>
    public List<KeyValuePair<StatePath, StateEntry>> Removed { get; } = removed;

    /// <summary>The removed subtree (for the event's previous value), when the path was not a leaf.</summary>
    public SubtreeSnapshot? Subtree { get; } = subtree;

    /// <summary>Whether storage should see the delete (not for derived values, which are never persisted).</summary>
    public bool Persist { get; } = persist;
}
