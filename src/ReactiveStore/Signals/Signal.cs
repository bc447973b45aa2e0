using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace ReactiveStore.Signals;

/// <summary>A writable reactive value; reading <see cref="Value"/> inside a computed or effect makes it a dependency.</summary>
/// <typeparam name="T">The value type.</typeparam>
/// <remarks>Thread-safe: every access takes the engine lock; a write runs the affected effects before it returns (unless inside a batch).</remarks>
public sealed class Signal<T> : ReactiveNode
{
    private readonly IEqualityComparer<T>? _comparer;
    private T _value;

    // While Dirty (written, not yet acknowledged by a reader): the value and version readers last saw, so a
    // write-back to that value (a batch that reverts) is acknowledged as "unchanged" and the version restored.
    private T _acknowledgedValue = default!;
    private long _acknowledgedVersion;

    /// <summary>Creates a signal holding <paramref name="initial"/>; writes equal under <paramref name="comparer"/> (default: <see cref="EqualityComparer{T}.Default"/>) are ignored.</summary>
    public Signal(T initial, IEqualityComparer<T>? comparer = null)
        : base(NodeFlags.Mutable | NodeFlags.Subscribed)
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
                if (AreEqual(_value, value))
                {
                    return;
                }

                int flags = _flags;
                if ((flags & NodeFlags.Dirty) == 0)
                {
                    _acknowledgedValue = _value;
                    _acknowledgedVersion = _version;
                    _flags = flags | NodeFlags.Dirty;
                }

                _value = value;
                _version++;
                SignalGraph.NoteWrite();
                Link? subs = _subs;
                if (subs is not null)
                {
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

    /// <summary>Acknowledges the pending write; returns false (and restores the version) when the value is back to the one readers last saw.</summary>
    internal override bool Update()
    {
        _flags &= ~NodeFlags.Dirty;
        bool changed = !AreEqual(_acknowledgedValue, _value);
        if (!changed)
        {
            _version = _acknowledgedVersion;
        }

        _acknowledgedValue = default!;
        return changed;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool AreEqual(T left, T right) =>
        _comparer is null ? EqualityComparer<T>.Default.Equals(left, right) : _comparer.Equals(left, right);

    private void Acknowledge()
    {
        // A reader sees the write: subscribers still pending on it must re-run, unless it was written back.
        if (Update())
        {
            Link? subs = _subs;
            if (subs is not null)
            {
                SignalGraph.ShallowPropagate(subs);
            }
        }
    }
}
