using System.Runtime.ExceptionServices;

namespace ReactiveStore.Storage;

/// <summary>An entry as a storage driver sees it: the value as UTF-8 JSON, and its metadata; or, read back from a corrupt
/// file or row, a placeholder that carries the <see cref="Corruption"/> instead.</summary>
/// <remarks>Immutable. Drivers store and return it as they like; <see cref="StoredEntryJson"/> gives them one JSON document
/// form. A corrupted entry (<see cref="Corrupted"/>) is what a driver returns under <see cref="CorruptEntryPolicy.Isolate"/>
/// for a key whose stored form cannot be read; it is never written.</remarks>
public sealed class StoredEntry
{
    // Placeholder metadata of a corrupted entry: the first version at the earliest time, nothing else.
    private static readonly EntryMetadata s_placeholder = new(1, DateTimeOffset.MinValue, DateTimeOffset.MinValue);
    private readonly ReadOnlyMemory<byte> _valueJson;

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

        _valueJson = valueJson;
        Metadata = metadata;
    }

    private StoredEntry(StorageCorruptionException corruption)
    {
        Corruption = corruption;
        Metadata = s_placeholder;
    }

    /// <summary>Gets the value as UTF-8 JSON.</summary>
    /// <exception cref="StorageCorruptionException">The entry is <see cref="Corrupted"/>: it has no value; this is its <see cref="Corruption"/>.</exception>
    public ReadOnlyMemory<byte> ValueJson
    {
        get
        {
            // A reader that did not check Corruption gets the error that names the file or row, never an empty value.
            if (Corruption is { } corruption)
            {
                ExceptionDispatchInfo.Throw(corruption);
            }

            return _valueJson;
        }
    }

    /// <summary>Gets the entry's metadata; placeholder metadata (version 1, <see cref="DateTimeOffset.MinValue"/>) for a corrupted entry.</summary>
    public EntryMetadata Metadata { get; }

    /// <summary>Gets why the stored entry cannot be read (naming the file or row), or <see langword="null"/> for a healthy entry.</summary>
    public StorageCorruptionException? Corruption { get; }

    /// <summary>Gets whether this is a <see cref="Corrupted"/> placeholder rather than a readable entry.</summary>
    public bool IsCorrupted => Corruption is not null;

    /// <summary>Creates the placeholder a driver returns for a key whose stored form cannot be read: no value JSON, placeholder metadata, and the error.</summary>
    /// <param name="error">What is wrong and where (the file, or the table and row).</param>
    /// <returns>A corrupted entry; reading its <see cref="ValueJson"/> throws <paramref name="error"/>.</returns>
    public static StoredEntry Corrupted(StorageCorruptionException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new StoredEntry(error);
    }

    /// <summary>Throws unless <paramref name="entry"/> is writable: drivers never store a corrupted placeholder.</summary>
    internal static void ThrowIfCorrupted(string key, StoredEntry? entry, string paramName)
    {
        if (entry?.Corruption is { } corruption)
        {
            throw new ArgumentException($"The entry for key '{key}' is a corrupted placeholder read from storage ({corruption.Message}); it cannot be written. Write a readable entry to repair the key.", paramName);
        }
    }
}
