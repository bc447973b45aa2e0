using System.Text.Json;

namespace ReactiveStore;

/// <summary>Computes <see cref="EntryMetadata.DataHash"/>: the store's <see cref="IHashingService"/> over a value's
/// canonical JSON. Called lazily, the first time the hash is needed (persisting, syncing, or reading the metadata).</summary>
internal sealed class DataHasher(IHashingService hashing, JsonSerializerOptions writeOptions)
{
    public IHashingService Service { get; } = hashing;

    /// <summary>Hashes a value.</summary>
    public string Hash<T>(T value) => Service.Hash(CanonicalJson.Write(value, writeOptions));

    /// <summary>Hashes canonical JSON bytes already written.</summary>
    public string Hash(ReadOnlySpan<byte> canonicalJson) => Service.Hash(canonicalJson);

    /// <summary>Hashes the value of an entry (used by <see cref="EntryMetadata.DataHash"/> on first read).</summary>
    public string Hash(StateEntry entry) => entry.HashValue(this);
}
