using System.Threading;

namespace ReactiveStore.Signals;

/// <summary>Base type of every node in the reactive graph (signals, computeds and effects); only this library derives from it.</summary>
public abstract class ReactiveNode
{
    private static int s_nextId;

    // Graph state. Every field below is read and written only while holding SignalGraph.Gate.
    internal Link? _deps;
    internal Link? _depsTail;
    internal Link? _subs;
    internal Link? _subsTail;
    internal int _flags;

    // Id of this node's current (or last) tracking run; unique and increasing across the process.
    internal long _runId;

    // Id of the latest run that linked this node as a dependency; makes duplicate-read detection O(1).
    internal long _seenRun;

    // Who asked this node to evaluate most recently; only used to name the nodes of a cycle.
    internal ReactiveNode? _evalParent;

    // Changes whenever the value readers see changes (a signal write acknowledged as a change, a computed
    // re-run to an unequal result). A link remembers the version its subscriber saw (Link.Version).
    internal long _version;

    // Computed only: SignalGraph.s_globalVersion when this node was last known up to date. Meaningful only
    // while unsubscribed; equal to the global counter means nothing was written anywhere since (O(1) re-read).
    internal long _globalVersion;

    private protected ReactiveNode(int flags)
    {
        _flags = flags;
        Id = Interlocked.Increment(ref s_nextId);
    }

    /// <summary>Process-wide creation number, used in labels of unnamed nodes.</summary>
    internal int Id { get; }

    /// <summary>Gets whether a subscribed node (an effect, or a computed something observes) depends on this node.</summary>
    /// <remarks>
    /// Unobserved computeds keep forward references only and do not count: a node without subscribers may still be
    /// read by such a computed, which re-validates it by version (so a source that is replaced must be written once
    /// more, not just forgotten). Caller holds the engine lock.
    /// </remarks>
    internal bool HasSubscribers
    {
        get
        {
            System.Diagnostics.Debug.Assert(SignalGraph.IsHeldByCurrentThread, "HasSubscribers reads graph state: hold the engine lock.");
            return _subs is not null;
        }
    }

    /// <summary>Label used in cycle messages and errors.</summary>
    internal abstract string Label { get; }

    /// <summary>
    /// Computed: re-runs the computation and reports whether the result changed.
    /// Signal: acknowledges a write that subscribers have not seen yet (always "changed").
    /// </summary>
    internal abstract bool Update();

    /// <summary>Brings a computed up to date (no tracking, no nesting guard): by flags if subscribed, else by versions.</summary>
    internal void RefreshCore()
    {
        int flags = _flags;
        if ((flags & NodeFlags.Subscribed) == 0)
        {
            SignalGraph.Validate(this);
            return;
        }

        if ((flags & NodeFlags.Dirty) != 0
            || ((flags & NodeFlags.Pending) != 0 && (_deps is null || SignalGraph.CheckDirty(_deps, this))))
        {
            if (Update())
            {
                Link? subs = _subs;
                if (subs is not null)
                {
                    SignalGraph.ShallowPropagate(subs);
                }
            }
        }
        else if ((flags & NodeFlags.Pending) != 0)
        {
            _flags &= ~NodeFlags.Pending;
        }
    }
}
