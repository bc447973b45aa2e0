namespace ReactiveStore;

/// <summary>The writes (and reads) available inside <see cref="StateStore.Batch(Action{IStateWriter})"/>.</summary>
/// <remarks>Reads see the batch's own earlier writes. The writer is valid only while the batch runs.</remarks>
public interface IStateWriter
{
    /// <summary>Stores a value as part of the batch.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="path">The dotted path.</param>
    /// <param name="value">The value.</param>
    /// <param name="options">Options for the write.</param>
    /// <returns>The resulting entry (not yet visible to other threads).</returns>
    StateEntry<T> Set<T>(string path, T value, SetOptions? options = null);

    /// <summary>Stores a value as part of the batch.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="path">The path.</param>
    /// <param name="value">The value.</param>
    /// <param name="options">Options for the write.</param>
    /// <returns>The resulting entry (not yet visible to other threads).</returns>
    StateEntry<T> Set<T>(StatePath path, T value, SetOptions? options = null);

    /// <summary>Stores a value at a typed key as part of the batch.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="key">The typed key.</param>
    /// <param name="value">The value.</param>
    /// <param name="options">Options for the write.</param>
    /// <returns>The resulting entry (not yet visible to other threads).</returns>
    StateEntry<T> Set<T>(StateKey<T> key, T value, SetOptions? options = null);

    /// <summary>Removes a value and its subtree as part of the batch.</summary>
    /// <param name="path">The dotted path.</param>
    /// <returns>Whether anything was removed.</returns>
    bool Delete(string path);

    /// <summary>Removes a value and its subtree as part of the batch.</summary>
    /// <param name="path">The path.</param>
    /// <returns>Whether anything was removed.</returns>
    bool Delete(StatePath path);

    /// <summary>Notifies subscribers of a path as part of the batch, without changing state.</summary>
    /// <param name="path">The dotted path.</param>
    /// <param name="payload">An object handed to subscribers.</param>
    void Ping(string path, object? payload = null);

    /// <summary>Reads a value, seeing the batch's own writes.</summary>
    /// <typeparam name="T">The type to read as.</typeparam>
    /// <param name="path">The dotted path.</param>
    /// <returns>The value, or <see langword="default"/> when missing.</returns>
    T? Get<T>(string path);

    /// <summary>Reads a value, seeing the batch's own writes.</summary>
    /// <typeparam name="T">The type to read as.</typeparam>
    /// <param name="path">The dotted path.</param>
    /// <param name="value">The value when present.</param>
    /// <returns>Whether a value (or subtree) is present.</returns>
    bool TryGet<T>(string path, out T? value);

    /// <summary>Gets whether a value or subtree is present, seeing the batch's own writes.</summary>
    /// <param name="path">The dotted path.</param>
    /// <returns>Whether anything is stored at or below the path.</returns>
    bool Exists(string path);
}
