using System.Collections.Generic;

namespace ReactiveStore.Signals;

/// <summary>A writable reactive value; reading <see cref="Value"/> inside a computed or effect makes it a dependency.</summary>
/// <typeparam name="T">The value type.</typeparam>
/// <remarks>Thread-safe: every access takes the engine lock; a write runs the affected effects before it returns (unless inside a batch).</remarks>
public sealed class Signal<T> : ReactiveNode
{
    private readonly IEqualityComparer<T>? _comparer;
    private T _value;

    /// <summary>Creates a signal holding <paramref name="initial"/>; writes equal under <paramref name="comparer"/> (default: <see cref="EqualityComparer{T}.Default"/>) are ignored.</summary>
    public Signal(T initial, IEqualityComparer<T>? comparer = null)
        : base(NodeFlags.Mutable)
    {
        _value = initial;
        _comparer = comparer is null || ReferenceEquals(comparer, EqualityComparer<T>.Default) ? null : comparer;
    }

    /// <summary>Optional name used in diagnostics.</summary>
    public string? Name { get; init; }

    /// <summary>The current value: reading tracks it; writing an unequal value notifies dependents.</summary>
    public T Value
    {
        get
        {
            bool taken = SignalGraph.Enter();
            try
            {
                if ((_flags & NodeFlags.Dirty) != 0)
                {
                    Acknowledge();
                }

                ReactiveNode? sub = SignalGraph.s_activeSub;
                if (sub is not null)
                {
                    SignalGraph.Link(this, sub);
                }

                return _value;
            }
            finally
            {
                if (taken)
                {
                    SignalGraph.Exit();
                }
            }
        }

        set
        {
            bool taken = SignalGraph.Enter();
            try
            {
                if (_comparer is null ? EqualityComparer<T>.Default.Equals(_value, value) : _comparer.Equals(_value, value))
                {
                    return;
                }

                _value = value;
                Link? subs = _subs;
                if (subs is not null)
                {
                    _flags |= NodeFlags.Dirty;
                    SignalGraph.Propagate(subs);
                    SignalGraph.FlushIfIdle();
                }
            }
            finally
            {
                if (taken)
                {
                    SignalGraph.Exit();
                }
            }
        }
    }

    internal override string Label => Name ?? "Signal<" + typeof(T).Name + ">#" + Id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Reads the current value without creating a dependency.</summary>
    public T Peek()
    {
        bool taken = SignalGraph.Enter();
        try
        {
            return _value;
        }
        finally
        {
            if (taken)
            {
                SignalGraph.Exit();
            }
        }
    }

    /// <inheritdoc />
    public override string ToString() => Label + " = " + Peek();

    internal override bool Update()
    {
        _flags &= ~NodeFlags.Dirty;
        return true;
    }

    private void Acknowledge()
    {
        // A tracked reader sees the write: subscribers still pending on it must re-run.
        _flags &= ~NodeFlags.Dirty;
        Link? subs = _subs;
        if (subs is not null)
        {
            SignalGraph.ShallowPropagate(subs);
        }
    }
}
