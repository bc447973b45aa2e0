using System;

namespace ReactiveStore.Signals;

/// <summary>Runs an action now and again after every outermost batch (or unbatched write) that changed something it read.</summary>
/// <remarks>
/// The action runs synchronously under the engine lock: on the constructing thread at once, later on the
/// thread whose write or batch triggered it. An exception from the first run propagates out of the
/// constructor (the effect is then disposed); later exceptions are reported through
/// <see cref="Signals.EffectFailed"/> and never stop other effects. Effects created inside an effect are
/// independent: dispose them yourself.
/// </remarks>
public sealed class Effect : ReactiveNode, IDisposable
{
    private readonly Action _run;

    // Re-runs of this effect within the current flush (loop guard).
    internal long _flushEpoch;
    internal int _flushRuns;

    /// <summary>Creates the effect and runs <paramref name="run"/> once immediately, tracking what it reads.</summary>
    public Effect(Action run)
        : base(NodeFlags.Watching | NodeFlags.Subscribed)
    {
        ArgumentNullException.ThrowIfNull(run);
        _run = run;
        bool taken = SignalGraph.Enter();
        try
        {
            // Writes made by the first run are flushed after it, as if it were a batch. If the run or that
            // flush throws, the caller never gets a reference, so the effect is disposed before rethrowing.
            SignalGraph.BeginBatch();
            bool depthRestored = false;
            try
            {
                RunTracked();
                SignalGraph.s_batchDepth--;
                depthRestored = true;
                SignalGraph.FlushIfIdle();
            }
            catch (Exception ex) when (ex is not DeferredEvaluation)
            {
                DisposeCore();
                throw;
            }
            finally
            {
                if (!depthRestored)
                {
                    SignalGraph.s_batchDepth--;
                }
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

    /// <summary>Optional name used in diagnostics and loop-limit messages.</summary>
    public string? Name { get; init; }

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

    internal override string Label => Name ?? "Effect#" + Id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Stops the effect and releases its dependencies; safe to call more than once and from inside its own run.</summary>
    public void Dispose()
    {
        bool taken = SignalGraph.Enter();
        try
        {
            DisposeCore();
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

    internal override bool Update() => false;

    internal void RunIfDirty()
    {
        int flags = _flags;
        if ((flags & NodeFlags.Disposed) != 0)
        {
            return;
        }

        if ((flags & NodeFlags.Dirty) != 0
            || ((flags & NodeFlags.Pending) != 0 && (_deps is null || SignalGraph.CheckDirtyFromTop(_deps, this))))
        {
            try
            {
                RunTracked();
            }
            catch (Exception ex) when (ex is not DeferredEvaluation)
            {
                Signals.OnEffectFailed(this, ex);
            }
        }
        else
        {
            _flags &= ~(NodeFlags.Pending | NodeFlags.Recursed);
        }
    }

    private void RunTracked()
    {
        _runId = SignalGraph.NextRunId();
        _depsTail = null;
        _flags = NodeFlags.Watching | NodeFlags.Subscribed | NodeFlags.RecursedCheck | (_flags & (NodeFlags.Queued | NodeFlags.Disposed));
        ReactiveNode? previous = SignalGraph.s_activeSub;
        SignalGraph.s_activeSub = this;
        try
        {
            _run();
        }
        finally
        {
            SignalGraph.s_activeSub = previous;
            _flags &= ~NodeFlags.RecursedCheck;
            if ((_flags & NodeFlags.Disposed) != 0)
            {
                _depsTail = null; // disposed from inside its own run: drop everything it read
            }

            SignalGraph.PurgeDeps(this);
        }
    }

    private void DisposeCore()
    {
        int flags = _flags;
        if ((flags & NodeFlags.Disposed) != 0)
        {
            return;
        }

        _flags = flags | NodeFlags.Disposed;
        if ((flags & NodeFlags.RecursedCheck) == 0)
        {
            _depsTail = null;
            SignalGraph.PurgeDeps(this);
        }
    }
}
