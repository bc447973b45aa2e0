namespace ReactiveStore;

/// <summary>The current values of a <see cref="StateStore.DeriveMany{TResult}(StatePath, IEnumerable{StatePath}, Func{DeriveData, TResult})"/>'s sources.</summary>
public sealed class DeriveData
{
    private readonly StateStore _store;
    private readonly StatePath[] _sources;

    internal DeriveData(StateStore store, StatePath[] sources)
    {
        _store = store;
        _sources = sources;
    }

    /// <summary>Gets the declared sources, in the order they were given.</summary>
    public IReadOnlyList<StatePath> Sources => _sources;

    /// <summary>Reads the source at <paramref name="index"/>, or <see langword="default"/> when missing.</summary>
    /// <typeparam name="T">The type to read as.</typeparam>
    /// <param name="index">The index in <see cref="Sources"/>.</param>
    /// <returns>The value (a source with descendants reads as its subtree).</returns>
    public T? Get<T>(int index) => _store.Get<T>(_sources[index]);

    /// <summary>Reads a declared source, or <see langword="default"/> when missing.</summary>
    /// <typeparam name="T">The type to read as.</typeparam>
    /// <param name="source">One of <see cref="Sources"/>, or a path below one.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentException"><paramref name="source"/> is not a declared source or below one.</exception>
    public T? Get<T>(StatePath source)
    {
        foreach (StatePath declared in _sources)
        {
            if (declared.IsAncestorOrSelfOf(source))
            {
                return _store.Get<T>(source);
            }
        }

        throw new ArgumentException($"'{source}' is not one of this derivation's sources ({string.Join(", ", _sources)}).", nameof(source));
    }

    /// <summary>Reads a declared source by its dotted path, or <see langword="default"/> when missing.</summary>
    /// <typeparam name="T">The type to read as.</typeparam>
    /// <param name="source">One of <see cref="Sources"/>, or a path below one.</param>
    /// <returns>The value.</returns>
    public T? Get<T>(string source) => Get<T>(StatePath.Parse(source));
}
