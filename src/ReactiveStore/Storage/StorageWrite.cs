namespace ReactiveStore.Storage;

/// <summary>One write handed to <see cref="IStateStorage.Write"/>: store <see cref="Entry"/> at <see cref="Key"/>, or delete the key when it is <see langword="null"/>.</summary>
/// <param name="Key">The serialized key (see the store's key service).</param>
/// <param name="Entry">The entry to store, or <see langword="null"/> to delete the key.</param>
public readonly record struct StorageWrite(string Key, StoredEntry? Entry)
{
    /// <summary>Gets whether this write deletes the key.</summary>
    public bool IsDelete => Entry is null;
}
