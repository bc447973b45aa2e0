namespace ReactiveStore;

/// <summary>What a tracked computation (<see cref="StateStore.Track"/>, <see cref="StateStore.Computed{T}"/>,
/// <see cref="StateStore.Derive{TResult}(StatePath, Func{TrackingContext, TResult}, IEqualityComparer{TResult}?)"/>) reads the store through.</summary>
/// <remarks>Every read is a dependency: the computation runs again when a path it read in its last run changes.
/// Reads straight through the store inside a computation are tracked the same way; this type only makes it explicit.</remarks>
public sealed class TrackingContext
{
    internal TrackingContext(StateStore store)
    {
        Store = store;
    }

    /// <summary>Gets the store being read.</summary>
    public StateStore Store { get; }

    /// <summary>Reads a value (tracked), or <see langword="default"/> when missing.</summary>
    /// <typeparam name="T">The type to read as.</typeparam>
    /// <param name="path">The dotted path.</param>
    /// <returns>The value.</returns>
    public T? Get<T>(string path) => Store.Get<T>(path);

    /// <summary>Reads a value (tracked), or <see langword="default"/> when missing.</summary>
    /// <typeparam name="T">The type to read as.</typeparam>
    /// <param name="path">The path.</param>
    /// <returns>The value.</returns>
    public T? Get<T>(StatePath path) => Store.Get<T>(path);

    /// <summary>Reads the value at a typed key (tracked), or <see langword="default"/> when missing.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="key">The typed key.</param>
    /// <returns>The value.</returns>
    public T? Get<T>(StateKey<T> key) => Store.Get(key);

    /// <summary>Reads a value (tracked), or <paramref name="defaultValue"/> when missing.</summary>
    /// <typeparam name="T">The type to read as.</typeparam>
    /// <param name="path">The dotted path.</param>
    /// <param name="defaultValue">What to return when missing.</param>
    /// <returns>The value or the default.</returns>
    public T Get<T>(string path, T defaultValue) => Store.Get(path, defaultValue);

    /// <summary>Gets whether anything is stored at or below a path (tracked).</summary>
    /// <param name="path">The dotted path.</param>
    /// <returns>Whether the path is present.</returns>
    public bool Exists(string path) => Store.Exists(path);

    /// <summary>Gets whether anything is stored at or below a path (tracked).</summary>
    /// <param name="path">The path.</param>
    /// <returns>Whether the path is present.</returns>
    public bool Exists(StatePath path) => Store.Exists(path);
}
