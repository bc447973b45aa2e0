using System.Diagnostics;
using ReactiveStore.Signals;

namespace ReactiveStore;

/// <summary>How the store joins the signal engine's dependency graph: one small version signal per path that some
/// computation read, bumped when a commit changes that path, an ancestor's subtree, or (for a removal) a descendant.</summary>
/// <remarks>
/// <para>Threading: the signal table and the bumps belong to the engine lock. A commit records the paths it changed while
/// it publishes (under the table's structure lock) and the committing thread then drains them under the engine lock;
/// when some computation already read the store, the commit holds the engine lock while it publishes and bumps, so no
/// computation can read a published value while the bump that invalidates its cache is still pending.</para>
/// <para>Nothing is recorded until a computation has read the store once (<see cref="IsActive"/>), so stores that no
/// computation reads pay nothing.</para>
/// </remarks>
internal sealed class PathSignals(EntryTable table)
{
    private readonly Dictionary<string, Signal<long>> _signals = new(StringComparer.Ordinal);
    private readonly Lock _pendingLock = new();
    private List<string> _pending = [];
    private List<string> _draining = [];
    private int _pendingCount;
    private int _pruneAt = 64;
    private volatile bool _active;

    /// <summary>Gets whether some computation has read the store (so commits must record what they change).</summary>
    public bool IsActive => _active;

    /// <summary>Gets how many path signals exist (for tests).</summary>
    public int Count
    {
        get
        {
            using (GraphLock.Enter())
            {
                return _signals.Count;
            }
        }
    }

    /// <summary>Records a read of <paramref name="path"/> by the computation running on this thread, if any.</summary>
    /// <remarks>Call before reading the value: the signal exists before the read, so a commit publishing after the read
    /// sees it and bumps it.</remarks>
    public void Track(StatePath path)
    {
        if (!SignalGraph.IsHeldByCurrentThread || !SignalGraph.IsTracking)
        {
            return;
        }

        if (!_active)
        {
            // Activating under the structure lock orders it against publications: a publication either saw the store
            // active (and records its changes) or finished before, and the read that follows sees its values.
            lock (table.Structure)
            {
                _active = true;
            }
        }

        if (!_signals.TryGetValue(path.Value, out Signal<long>? signal))
        {
            if (_signals.Count >= _pruneAt)
            {
                Prune();
            }

            signal = new Signal<long>(0);
            _signals.Add(path.Value, signal);
        }

        _ = signal.Value;
    }

    /// <summary>Records that a publication changed the value at <paramref name="path"/>; the caller holds the structure lock.</summary>
    public void RecordChanged(StatePath path)
    {
        Debug.Assert(table.Structure.IsHeldByCurrentThread, "Changes are recorded while publishing.");
        lock (_pendingLock)
        {
            _pending.Add(path.Value);
            _pendingCount = _pending.Count;
        }
    }

    /// <summary>Bumps the signals of every recorded change (and of its ancestors); the caller holds the engine lock.</summary>
    public void DrainPending()
    {
        if (Volatile.Read(ref _pendingCount) == 0)
        {
            return;
        }

        Debug.Assert(SignalGraph.IsHeldByCurrentThread, "Bumps run under the engine lock.");
        List<string> batch;
        lock (_pendingLock)
        {
            batch = _pending;
            _pending = _draining;
            _draining = batch;
            _pendingCount = 0;
        }

        SignalGraph.BeginBatch();
        try
        {
            Dictionary<string, Signal<long>>.AlternateLookup<ReadOnlySpan<char>> lookup = _signals.GetAlternateLookup<ReadOnlySpan<char>>();
            foreach (string changed in batch)
            {
                ReadOnlySpan<char> text = changed;
                Bump(lookup, text);
                for (int i = text.Length - 1; i >= 0; i--)
                {
                    if (text[i] == '.')
                    {
                        Bump(lookup, text[..i]);
                    }
                }

                Bump(lookup, []);
            }
        }
        finally
        {
            batch.Clear();
            SignalGraph.EndBatch();
        }

        static void Bump(Dictionary<string, Signal<long>>.AlternateLookup<ReadOnlySpan<char>> lookup, ReadOnlySpan<char> key)
        {
            if (lookup.TryGetValue(key, out Signal<long>? signal))
            {
                signal.Value++;
            }
        }
    }

    /// <summary>Drops the signals no computation depends on any more (a later read creates a fresh one), so computations
    /// over ever-new paths do not grow the table without bound. Amortized: runs when the table has doubled.</summary>
    private void Prune()
    {
        List<string>? unused = null;
        foreach (KeyValuePair<string, Signal<long>> item in _signals)
        {
            if (!item.Value.HasSubscribers)
            {
                (unused ??= []).Add(item.Key);
            }
        }

        if (unused is not null)
        {
            foreach (string key in unused)
            {
                _signals.Remove(key);
            }
        }

        _pruneAt = Math.Max(64, _signals.Count * 2);
    }
}
