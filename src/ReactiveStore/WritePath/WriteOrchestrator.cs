using ReactiveStore.Storage;

namespace ReactiveStore;

/// <summary>The pure orchestrator of the write path: calls the key, lock, metadata, hashing and storage services in
/// sequence and holds no business logic itself.</summary>
/// <remarks>Equality, compare-and-set and the entry table stay with the store; logging and events are decorators.
/// Storage writes are staged in the commit; the commit pipeline persists a whole group in one driver call.</remarks>
internal sealed class WriteOrchestrator(
    IKeyService keys,
    ILockManager? locks,
    DataHasher? hasher,
    IMetadataService metadata,
    System.Text.Json.JsonSerializerOptions writeOptions,
    bool persist) : IWriteOrchestrator
{
    public StateEntry<T> Set<T>(Commit commit, in WriteOperation<T> operation)
    {
        bool persisted = persist && !operation.IsDerived;
        string? key = persisted ? keys.Serialize(operation.Path) : null;
        using IDisposable? lease = locks?.Acquire(operation.Path);
        EntryMetadata entryMetadata = operation.Current is null or CorruptStateEntry
            ? metadata.Create(operation.Path, operation.Options, operation.Now)
            : metadata.Next(operation.Current.Metadata, operation.Options, operation.Now);
        var entry = new StateEntry<T>(operation.Value, entryMetadata);
        if (persisted)
        {
            // The stored form is the canonical JSON the validator already wrote; hash those bytes now (they are at hand).
            byte[] json = operation.Json ?? CanonicalJson.Write(operation.Value, writeOptions).ToArray();
            if (hasher is not null && entryMetadata.DataHash is null)
            {
                entryMetadata.SetDataHash(hasher.Hash(json));
            }

            commit.AddStorageWrite(new StorageWrite(key!, new StoredEntry(json, entryMetadata)));
        }
        else if (hasher is not null)
        {
            // Nobody needs the hash yet: computed the first time it is read, once.
            entryMetadata.AttachDataHash(entry, hasher);
        }

        return entry;
    }

    public void Delete(Commit commit, DeleteOperation operation)
    {
        using IDisposable? lease = locks?.Acquire(operation.Path);
        if (!persist || !operation.Persist)
        {
            return;
        }

        foreach (KeyValuePair<StatePath, StateEntry> removed in operation.Removed)
        {
            commit.AddStorageWrite(new StorageWrite(keys.Serialize(removed.Key), null));
        }
    }
}
