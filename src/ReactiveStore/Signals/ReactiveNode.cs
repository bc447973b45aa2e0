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

    private protected ReactiveNode(int flags)
    {
        _flags = flags;
        Id = Interlocked.Increment(ref s_nextId);
    }

    /// <summary>Gets whether some computation or effect depends on this node (TEMPORARY, lead's branch).</summary>
    internal bool HasSubscribers => _subs is not null;

    /// <summary>Process-wide creation number, used in labels of unnamed nodes.</summary>
    internal int Id { get; }

    /// <summary>Label used in cycle messages and errors.</summary>
    internal abstract string Label { get; }

    /// <summary>
    /// Computed: re-runs the computation and reports whether the result changed.
    /// Signal: acknowledges a write that subscribers have not seen yet (always "changed").
    /// </summary>
    internal abstract bool Update();

    /// <summary>Brings a computed up to date (no tracking, no nesting guard).</summary>
    internal void RefreshCore()
    {
        int flags = _flags;
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
