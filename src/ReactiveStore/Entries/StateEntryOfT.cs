namespace ReactiveStore;

/// <summary>A stored value of type <typeparamref name="T"/> together with its metadata.</summary>
/// <typeparam name="T">The type the value was stored as.</typeparam>
public sealed class StateEntry<T> : StateEntry
{
    /// <summary>Creates an entry.</summary>
    /// <param name="value">The stored value.</param>
    /// <param name="metadata">The metadata of this revision.</param>
    public StateEntry(T value, EntryMetadata metadata)
        : base(metadata ?? throw new ArgumentNullException(nameof(metadata)))
    {
        Value = value;
    }

    /// <summary>Gets the stored value.</summary>
    public T Value { get; }

    /// <inheritdoc/>
    public override Type ValueType => typeof(T);

    /// <inheritdoc/>
    /// <remarks>Boxes a value type on every call; typed readers (<c>GetValue&lt;T&gt;</c>, <see cref="Value"/>) never box.</remarks>
    public override object? UntypedValue => Value;

    internal override StateEntry WithMetadata(EntryMetadata metadata) => new StateEntry<T>(Value, metadata);

    internal override string HashValue(DataHasher hasher) => hasher.Hash(Value);

    internal override byte[] ToCanonicalJson(System.Text.Json.JsonSerializerOptions options) => CanonicalJson.Write(Value, options).ToArray();

    /// <inheritdoc/>
    public override string ToString() => $"{Value} ({Metadata})";
}
