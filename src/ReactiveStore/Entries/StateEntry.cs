namespace ReactiveStore;

/// <summary>A stored value together with its metadata, without its static type.</summary>
/// <remarks>Entries are immutable; a write replaces the entry. See <see cref="StateEntry{T}"/>.</remarks>
public abstract class StateEntry
{
    private protected StateEntry(EntryMetadata metadata)
    {
        Metadata = metadata;
    }

    /// <summary>Gets the metadata of this revision.</summary>
    public EntryMetadata Metadata { get; }

    /// <summary>Gets the static type the value was stored as.</summary>
    public abstract Type ValueType { get; }

    /// <summary>Gets the value as an object (boxed for value types).</summary>
    public abstract object? UntypedValue { get; }

    internal abstract StateEntry WithMetadata(EntryMetadata metadata);

    /// <summary>Writes the value as canonical JSON (the change log and the journal).</summary>
    internal abstract byte[] ToCanonicalJson(System.Text.Json.JsonSerializerOptions options);

    /// <summary>Hashes the value's canonical JSON (called once, the first time <see cref="EntryMetadata.DataHash"/> is read).</summary>
    internal abstract string HashValue(DataHasher hasher);
}
