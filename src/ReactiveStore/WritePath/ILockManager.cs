namespace ReactiveStore;

/// <summary>Serializes writes per namespace (for example, with other processes sharing a database).</summary>
/// <remarks>The store already commits under one in-process lock; a lock manager adds whatever the storage needs
/// beyond it. It is called inside a commit, for every key the commit writes.</remarks>
public interface ILockManager
{
    /// <summary>Takes the lock of the namespace that owns <paramref name="path"/> until the returned lease is disposed.</summary>
    /// <param name="path">The path about to be written.</param>
    /// <returns>The lease.</returns>
    IDisposable Acquire(StatePath path);
}
