using ReactiveStore.Signals;

namespace ReactiveStore;

/// <summary>A derived path whose value is a <typeparamref name="TResult"/>; see <see cref="Derivation"/>.</summary>
/// <typeparam name="TResult">The type of the derived value.</typeparam>
public sealed class Derivation<TResult> : Derivation
{
    private readonly Computed<TResult> _computed;
    private readonly IEqualityComparer<TResult> _comparer;

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
        if (IsActive)
        {
            Store.WriteDerived(Destination, value, _comparer);
        }
    }
}
