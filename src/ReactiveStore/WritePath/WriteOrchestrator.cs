using System.Text.Json;
using ReactiveStore.Storage;

namespace ReactiveStore;

/// <summary>The pure orchestrator of the write path: calls the key, lock, hashing, metadata and storage services in
/// sequence and holds no business logic itself.</summary>
/// <remarks>Equality, compare-and-set and the live entry table stay with the store; logging and events are decorators.
/// Storage writes go to the commit's staging storage and reach the driver when the commit ends.</remarks>
internal sealed class WriteOrchestrator(
    IKeyService keys,
    ILockManager locks,
    IHashingService? hashing,
    IMetadataService metadata,
    IStateStorage? storage,
    JsonSerializerOptions jsonOptions) : IWriteOrchestrator
{
    private readonly CanonicalJson _json = new(jsonOptions);

    public StateEntry<T> Set<T>(in WriteOperation<T> operation)
    {
        bool persist = storage is not null && !operation.IsDerived;
        string? key = persist ? keys.Serialize(operation.Path) : null;
        using IDisposable lease = locks.Acquire(operation.Path);
        ReadOnlySpan<byte> json = hashing is not null || persist ? _json.Write(operation.Value) : default;
        string? hash = hashing?.Hash(json);
        EntryMetadata entryMetadata = operation.Current is null
            ? metadata.Create(operation.Path, operation.Options, hash, operation.Now)
            : metadata.Next(operation.Current.Metadata, operation.Options, hash, operation.Now);
        if (persist)
        {
            storage!.Write([new StorageWrite(key!, new StoredEntry(json.ToArray(), entryMetadata))]);
        }

        return new StateEntry<T>(operation.Value, entryMetadata);
    }

    public void Delete(DeleteOperation operation)
    {
        using IDisposable lease = locks.Acquire(operation.Path);
        if (storage is null || !operation.Persist)
        {
            return;
        }

        var writes = new StorageWrite[operation.Removed.Count];
        for (int i = 0; i < writes.Length; i++)
        {
            writes[i] = new StorageWrite(keys.Serialize(operation.Removed[i].Key), null);
        }

        storage.Write(writes);
    }
}
