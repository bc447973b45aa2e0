namespace ReactiveStore;

/// <summary>The <see cref="IStateWriter"/> handed to a batch; it writes through the store into the batch's commit while
/// the batch holds the store's commit turn.</summary>
internal sealed class BatchWriter(StateStore store) : IStateWriter
{
    private int _closed;

    public void Close() => Volatile.Write(ref _closed, 1);

    public StateEntry<T> Set<T>(string path, T value, SetOptions? options = null)
    {
        ThrowIfClosed();
        return store.Set(path, value, options);
    }

    public StateEntry<T> Set<T>(StatePath path, T value, SetOptions? options = null)
    {
        ThrowIfClosed();
        return store.Set(path, value, options);
    }

    public StateEntry<T> Set<T>(StateKey<T> key, T value, SetOptions? options = null)
    {
        ThrowIfClosed();
        return store.Set(key, value, options);
    }

    public bool Delete(string path)
    {
        ThrowIfClosed();
        return store.Delete(path);
    }

    public bool Delete(StatePath path)
    {
        ThrowIfClosed();
        return store.Delete(path);
    }

    public void Ping(string path, object? payload = null)
    {
        ThrowIfClosed();
        store.Ping(path, payload);
    }

    public T? Get<T>(string path)
    {
        ThrowIfClosed();
        return store.Get<T>(path);
    }

    public bool TryGet<T>(string path, out T? value)
    {
        ThrowIfClosed();
        return store.TryGet(path, out value);
    }

    public bool Exists(string path)
    {
        ThrowIfClosed();
        return store.Exists(path);
    }

    private void ThrowIfClosed()
    {
        if (Volatile.Read(ref _closed) != 0)
        {
            throw new InvalidOperationException("This batch writer belongs to a batch that has already ended; write through the store or start a new batch.");
        }

        store.ThrowIfNotStagingOnThisThread();
    }
}
