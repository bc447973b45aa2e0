using ReactiveStore.Signals;

namespace ReactiveStore;

/// <summary>A derived path whose value is a <typeparamref name="TResult"/>; see <see cref="Derivation"/>.</summary>
/// <typeparam name="TResult">The type of the derived value.</typeparam>
public sealed class Derivation<TResult> : Derivation
{
    private readonly Computed<TResult> _computed;
    private readonly IEqualityComparer<TResult> _comparer;
    private int _writeQueued;

    internal Derivation(StateStore store, StatePath destination, StatePath[] sources, Func<TResult> compute, IEqualityComparer<TResult>? comparer)
        : base(store, destination, sources)
    {
        _comparer = comparer ?? EqualityComparer<TResult>.Default;
        _computed = new Computed<TResult>(compute, _comparer) { Name = destination.ToString() };
    }

    /// <summary>Gets the current value: cached, glitch-free, and a tracked read inside another computation.</summary>
    /// <exception cref="Exception">Whatever the computation threw, until an input changes.</exception>
    public TResult Value
    {
        get
        {
            using (GraphLock.Enter())
            {
                Refresh();
                return _computed.Value;
            }
        }
    }

    internal override void Refresh()
    {
        TResult value = _computed.Value;
        if (IsActive && !Store.TryWriteDerived(Destination, value, _comparer))
        {
            // This thread cannot commit now (it is inside the engine, or another commit): write it as soon as it can,
            // once, with whatever the value is then.
            if (Interlocked.Exchange(ref _writeQueued, 1) == 0)
            {
                Store.DeferInternal($"Write derived '{Destination}'", this, static (store, derivation) => derivation.WriteQueued());
            }
        }
    }

    internal override StateEntry ReadEntry()
    {
        TResult value;
        using (GraphLock.Enter())
        {
            Refresh();
            value = _computed.Value;
        }

        StateEntry? stored = Store.ReadMaterialized(Destination);
        if (stored is StateEntry<TResult> typed && _comparer.Equals(typed.Value, value))
        {
            return typed;
        }

        EntryMetadata metadata = stored?.Metadata ?? new EntryMetadata(1, Store.Options.TimeProvider.GetUtcNow(), Store.Options.TimeProvider.GetUtcNow());
        return new StateEntry<TResult>(value, metadata);
    }

    private void WriteQueued()
    {
        Volatile.Write(ref _writeQueued, 0);
        if (!IsActive)
        {
            return;
        }

        TResult value;
        using (GraphLock.Enter())
        {
            value = _computed.Value;
        }

        Store.TryWriteDerived(Destination, value, _comparer);
    }
}
