namespace ReactiveStore.Storage;

/// <summary>A storage driver: the dumb persistence layer under a <see cref="StateStore"/>, keyed by serialized keys.</summary>
/// <remarks>
/// <para>The store keeps its live state in memory and uses the driver to load it (<see cref="ReadAll"/>, once, in
/// <see cref="StateStore.OpenAsync"/>) and to persist every committed write (<see cref="Write"/>, under the store's
/// commit lock, before the commit becomes visible). A driver holds no business logic: no versions, no events.</para>
/// <para>Threading: the store calls a driver from one thread at a time; drivers shared between stores or used directly
/// must be thread-safe on their own. Every driver passes the shared conformance suite in the tests.</para>
/// </remarks>
public interface IStateStorage : IDisposable
{
    /// <summary>Reads every stored entry, in no particular order.</summary>
    /// <returns>The keys and entries.</returns>
    /// <exception cref="StorageCorruptionException">An entry cannot be read; the exception names it.</exception>
    IEnumerable<KeyValuePair<string, StoredEntry>> ReadAll();

    /// <summary>Reads one entry.</summary>
    /// <param name="key">The serialized key.</param>
    /// <param name="entry">The entry, when present.</param>
    /// <returns>Whether the key is stored.</returns>
    bool TryGet(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out StoredEntry? entry);

    /// <summary>Lists the stored keys equal to <paramref name="prefix"/> or below it (<c>prefix + "."</c>), in ordinal order.</summary>
    /// <param name="prefix">The key prefix; <c>""</c> lists every key.</param>
    /// <returns>The keys.</returns>
    IReadOnlyList<string> Keys(string prefix);

    /// <summary>Applies writes (sets and deletes) in order; atomically where the driver can (see its documentation).</summary>
    /// <param name="writes">The writes of one commit.</param>
    void Write(IReadOnlyList<StorageWrite> writes);

    /// <summary>Makes everything written so far durable (for drivers that buffer); returns at once for write-through drivers.</summary>
    void Flush();
}
