using ReactiveStore.Signals;

namespace ReactiveStore;

/// <summary>A derived path: a value the store keeps equal to a computation over other paths. Dispose it to remove it.</summary>
/// <remarks>
/// A derived path reads, subscribes and watches like a stored one, but only the derivation writes it. It recomputes
/// at most once per committed write or batch, only when an input changed, and emits a <see cref="StateEventType.Set"/>
/// event only when its value changed. While some subscription matches it, it is kept up to date eagerly; otherwise it
/// is lazy and recomputes when read. Derived values are never persisted: they are recomputed after a restart.
/// </remarks>
public abstract class Derivation : IDisposable
{
    private readonly StatePath[] _sources;
    private int _disposed;

    private protected Derivation(StateStore store, StatePath destination, StatePath[] sources)
    {
        Store = store;
        Destination = destination;
        _sources = sources;
    }

    /// <summary>Gets the derived path.</summary>
    public StatePath Destination { get; }

    /// <summary>Gets the declared source paths (empty for a derivation whose dependencies are tracked at run time).</summary>
    public IReadOnlyList<StatePath> Sources => _sources;

    /// <summary>Gets whether the derivation is still registered.</summary>
    public bool IsActive => Volatile.Read(ref _disposed) == 0;

    /// <summary>Gets whether a subscription currently observes the path, keeping it eager.</summary>
    public bool IsObserved => Observer is not null;

    internal StateStore Store { get; }

    internal StatePath[] DeclaredSources => _sources;

    internal Effect? Observer { get; set; }

    /// <summary>Removes the derivation and its value (a <see cref="StateEventType.Delete"/> event for the path).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Store.Derivations.Remove(this);
        }

        GC.SuppressFinalize(this);
    }

    /// <inheritdoc/>
    public override string ToString() => _sources.Length == 0
        ? $"'{Destination}' (tracked)"
        : $"'{Destination}' from {string.Join(", ", _sources.Select(s => $"'{s}'"))}";

    /// <summary>Marks a derivation that never got registered (it lost a race, or its registration failed) as inactive.</summary>
    internal void Abandon() => Volatile.Write(ref _disposed, 1);

    /// <summary>Brings the value up to date: evaluates (if an input changed) and writes it to the store if it differs.
    /// Caller holds the engine lock.</summary>
    internal abstract void Refresh();

    /// <summary>Reads the current value as an entry (tracked inside a computation): the stored entry when it is up to date,
    /// else the fresh value with the stored entry's metadata while its write is still on its way.</summary>
    internal abstract StateEntry ReadEntry();
}
