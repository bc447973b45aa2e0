using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace ReactiveStore.Signals;

/// <summary>A lazily computed, cached value derived from signals and other computeds; dependencies are re-collected on every run.</summary>
/// <typeparam name="T">The value type.</typeparam>
/// <remarks>
/// Thread-safe: evaluation runs under the engine lock. An exception thrown by the computation is cached
/// and rethrown to every reader until one of the values it read changes. While no effect depends on it
/// (directly or through other computeds) its sources hold no reference to it, so dropping it lets it be
/// collected; <see cref="Dispose"/> detaches it explicitly.
/// </remarks>
public sealed class Computed<T> : ReactiveNode, IDisposable
{
    private Func<T> _compute;
    private readonly IEqualityComparer<T>? _comparer;
    private T _value = default!;
    private bool _hasValue;
    private ExceptionDispatchInfo? _error;

    /// <summary>Creates a computed from <paramref name="compute"/>; results equal under <paramref name="comparer"/> do not notify dependents.</summary>
    public Computed(Func<T> compute, IEqualityComparer<T>? comparer = null)
        : base(NodeFlags.Mutable | NodeFlags.Dirty)
    {
        ArgumentNullException.ThrowIfNull(compute);
        _compute = compute;
        _comparer = comparer is null || ReferenceEquals(comparer, EqualityComparer<T>.Default) ? null : comparer;
    }

    /// <summary>Optional name used in cycle messages (unnamed computeds show as <c>Computed&lt;Int32&gt;#3</c>).</summary>
    public string? Name { get; init; }

    /// <summary>The current value: tracked, evaluated on first read and re-evaluated only when an input changed.</summary>
    public T Value
    {
        get
        {
            bool taken = SignalGraph.Enter();
            try
            {
                int flags = _flags;
                if (NeedsRefresh(flags))
                {
                    Refresh(flags);
                }

                ReactiveNode? sub = SignalGraph.s_activeSub;
                if (sub is not null)
                {
                    SignalGraph.Link(this, sub);
                }

                if (_error is not null)
                {
                    _error.Throw();
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
    }

    internal override string Label => Name ?? "Computed<" + typeof(T).Name + ">#" + Id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Reads the current (re-validated) value without creating a dependency.</summary>
    public T Peek()
    {
        bool taken = SignalGraph.Enter();
        try
        {
            int flags = _flags;
            if (NeedsRefresh(flags))
            {
                Refresh(flags);
            }

            if (_error is not null)
            {
                _error.Throw();
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

    /// <summary>Whether <see cref="Dispose"/> has been called.</summary>
    public bool IsDisposed
    {
        get
        {
            bool taken = SignalGraph.Enter();
            try
            {
                return (_flags & NodeFlags.Disposed) != 0;
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

    /// <summary>Detaches the computed from its sources and dependents and drops its value; reading it afterwards throws <see cref="ObjectDisposedException"/>. Idempotent.</summary>
    /// <remarks>
    /// Dependents keep the values they computed until something else they read changes; if they read this computed
    /// again then, their computation gets the <see cref="ObjectDisposedException"/>. A computed cannot be disposed
    /// from inside its own computation.
    /// </remarks>
    public void Dispose()
    {
        bool taken = SignalGraph.Enter();
        try
        {
            int flags = _flags;
            if ((flags & NodeFlags.Disposed) != 0)
            {
                return;
            }

            if ((flags & NodeFlags.RecursedCheck) != 0)
            {
                throw new InvalidOperationException($"Computed '{Label}' cannot be disposed while it is computing or being re-validated.");
            }

            SignalGraph.Detach(this);
            _compute = null!;
            _value = default!;
            _hasValue = false;
            _error = null;
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
    public override string ToString() => Label;

    // Subscribed: the flags say whether it may be stale. Unsubscribed: dirty, running or disposed, or something was
    // written since it was last validated.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool NeedsRefresh(int flags) =>
        (flags & (NodeFlags.Dirty | NodeFlags.Pending | NodeFlags.RecursedCheck | NodeFlags.Subscribed)) != NodeFlags.Subscribed
        && ((flags & (NodeFlags.Subscribed | NodeFlags.Dirty | NodeFlags.RecursedCheck | NodeFlags.Disposed)) != 0
            || _globalVersion != SignalGraph.s_globalVersion);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Refresh(int flags)
    {
        if ((flags & NodeFlags.Disposed) != 0)
        {
            throw new ObjectDisposedException(Label, $"Computed '{Label}' was disposed and can no longer be read.");
        }

        if ((flags & NodeFlags.RecursedCheck) != 0)
        {
            throw SignalGraph.CycleThroughRead(this);
        }

        _evalParent = SignalGraph.s_activeSub;
        try
        {
            if (SignalGraph.s_evalDepth == 0)
            {
                SignalGraph.RefreshFromTop(this);
            }
            else if (SignalGraph.s_evalDepth >= SignalGraph.MaxNestedEvaluations)
            {
                throw new DeferredEvaluation(this);
            }
            else
            {
                RefreshCore();
            }
        }
        finally
        {
            _evalParent = null; // only needed while it evaluates; a stale parent would keep that reader alive
        }
    }

    internal override bool Update()
    {
        long globalAtStart = SignalGraph.s_globalVersion;
        _runId = SignalGraph.NextRunId();
        _depsTail = null;
        _flags = (_flags & NodeFlags.Subscribed) | NodeFlags.Mutable | NodeFlags.RecursedCheck;
        ReactiveNode? previous = SignalGraph.s_activeSub;
        SignalGraph.s_activeSub = this;
        SignalGraph.s_evalDepth++;
        bool completed = false;
        bool changed = false;
        try
        {
            T value = _compute();
            if (!_hasValue
                || _error is not null
                || !(_comparer is null ? EqualityComparer<T>.Default.Equals(_value, value) : _comparer.Equals(_value, value)))
            {
                // Equal under the comparer: readers keep seeing the old object.
                _value = value;
                _hasValue = true;
                _error = null;
                changed = true;
            }

            completed = true;
        }
        catch (Exception ex) when (ex is not DeferredEvaluation)
        {
            // The computation's exception is the computed's value until an input changes.
            // (A deferral passes through untouched: a filter, not catch-and-rethrow, so unwinding a deep
            // stack does not nest exception dispatch once per level.)
            _error = ExceptionDispatchInfo.Capture(ex);
            changed = true;
            completed = true;
        }
        finally
        {
            SignalGraph.s_evalDepth--;
            SignalGraph.s_activeSub = previous;
            _flags &= ~NodeFlags.RecursedCheck;
            SignalGraph.PurgeDeps(this);
            if (!completed)
            {
                _flags |= NodeFlags.Dirty; // deferred: evaluate again later
            }
            else
            {
                _globalVersion = globalAtStart; // a write made by the computation itself leaves it to re-validate
                if (changed)
                {
                    _version++;
                }
            }

            if ((_flags & NodeFlags.Subscribed) != 0 && _subs is null)
            {
                SignalGraph.ReleaseAfterRun(this); // lost its last observer while it ran
            }
        }

        return changed;
    }
}
