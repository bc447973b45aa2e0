namespace ReactiveStore.Storage;

/// <summary>An entry as a storage driver sees it: the value as UTF-8 JSON, and its metadata.</summary>
/// <remarks>Immutable. Drivers store and return it as they like; <see cref="StoredEntryJson"/> gives them one JSON document form.</remarks>
public sealed class StoredEntry
{
    /// <summary>Creates a stored entry.</summary>
    /// <param name="valueJson">The value serialized as UTF-8 JSON (a complete JSON value).</param>
    /// <param name="metadata">The entry's metadata.</param>
    public StoredEntry(ReadOnlyMemory<byte> valueJson, EntryMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (valueJson.IsEmpty)
        {
            throw new ArgumentException("A stored value is a complete JSON value; it cannot be empty (a null value is the JSON text 'null').", nameof(valueJson));
        }

        ValueJson = valueJson;
        Metadata = metadata;
    }

    /// <summary>Gets the value as UTF-8 JSON.</summary>
    public ReadOnlyMemory<byte> ValueJson { get; }

    /// <summary>Gets why storage could not read this entry, or <see langword="null"/> for a healthy entry (TEMPORARY, lead's branch).</summary>
    public StorageCorruptionException? Corruption { get; }

    /// <summary>Gets the entry's metadata.</summary>
    public EntryMetadata Metadata { get; }
}
