using ReactiveStore.Storage;

namespace ReactiveStore;

/// <summary>The storage the orchestrator writes to: writes are staged in the open commit and reach the real driver,
/// all together, when the outermost commit ends (so a failed batch never reaches storage).</summary>
internal sealed class StagedStorage(IStateStorage inner, List<StorageWrite> staged) : IStateStorage
{
    public IEnumerable<KeyValuePair<string, StoredEntry>> ReadAll() => inner.ReadAll();

    public bool TryGet(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out StoredEntry? entry) => inner.TryGet(key, out entry);

    public IReadOnlyList<string> Keys(string prefix) => inner.Keys(prefix);

    public void Write(IReadOnlyList<StorageWrite> writes) => staged.AddRange(writes);

    public void Flush() => inner.Flush();

    public void Dispose()
    {
    }
}
