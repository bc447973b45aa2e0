using System.Diagnostics;
using ReactiveStore.Storage;

namespace ReactiveStore;

/// <summary>One commit of one store: what it has staged on the table, how to undo each step, the store versions it
/// assigned, the events it will emit and the storage writes it will persist.</summary>
/// <remarks>
/// <para>A commit is opened by the <see cref="CommitPipeline"/> for a group of writes and either published (everything
/// becomes visible at once) or aborted (nothing does). Within it, each write gets a <see cref="Savepoint"/> so one failing
/// write (a compare-and-set conflict, a batch that throws) rolls back alone.</para>
/// <para>Only the thread holding the store's commit turn touches a commit; one instance per store is reused.</para>
/// </remarks>
internal sealed class Commit(EntryTable table)
{
    private readonly List<TableNode> _touched = [];
    private readonly List<UndoStep> _undo = [];
    private readonly List<PendingEvent> _events = [];
    private readonly List<StorageWrite> _storageWrites = [];
    private long _id;
    private long _version;
    private bool _open;

    /// <summary>Gets the store version of the last write staged so far.</summary>
    public long Version => _version;

    /// <summary>Gets the nodes this commit staged, in the order first touched.</summary>
    public IReadOnlyList<TableNode> Touched => _touched;

    /// <summary>Gets the events this commit will emit, in commit order.</summary>
    public List<PendingEvent> Events => _events;

    /// <summary>Gets the storage writes this commit will persist, in order.</summary>
    public List<StorageWrite> StorageWrites => _storageWrites;

    /// <summary>Gets whether anything was staged (a value, a removal or an event).</summary>
    public bool IsEmpty => _touched.Count == 0 && _events.Count == 0 && _storageWrites.Count == 0;

    public bool IsOpen => _open;

    /// <summary>Opens the commit after the store's published version.</summary>
    public void Open(long publishedVersion)
    {
        Debug.Assert(!_open, "A commit is opened once at a time.");
        _open = true;
        _id++;
        _version = publishedVersion;
    }

    /// <summary>Takes the next store version (a write or a ping).</summary>
    public long NextVersion() => ++_version;

    /// <summary>Stages <paramref name="entry"/> (or, with <see langword="null"/>, the removal of the value) at <paramref name="node"/>.</summary>
    public void Stage(TableNode node, StateEntry? entry)
    {
        Debug.Assert(_open, "Stage inside an open commit.");
        if (node.TouchedBy != _id)
        {
            node.TouchedBy = _id;
            _touched.Add(node);
        }

        _undo.Add(new UndoStep(node, node.IsStaged, node.Staged));
        node.Staged = entry;
        node.IsStaged = true;
    }

    public void AddEvent(in PendingEvent pending) => _events.Add(pending);

    public void AddStorageWrite(StorageWrite write) => _storageWrites.Add(write);

    /// <summary>Marks the current point, to roll one write back to.</summary>
    public Savepoint Mark() => new(_undo.Count, _events.Count, _storageWrites.Count, _version);

    /// <summary>Undoes everything staged since <paramref name="savepoint"/>.</summary>
    public void RollbackTo(Savepoint savepoint)
    {
        for (int i = _undo.Count - 1; i >= savepoint.Undo; i--)
        {
            UndoStep step = _undo[i];
            step.Node.IsStaged = step.WasStaged;
            step.Node.Staged = step.Staged;
        }

        _undo.RemoveRange(savepoint.Undo, _undo.Count - savepoint.Undo);
        _events.RemoveRange(savepoint.Events, _events.Count - savepoint.Events);
        _storageWrites.RemoveRange(savepoint.StorageWrites, _storageWrites.Count - savepoint.StorageWrites);
        _version = savepoint.Version;
    }

    /// <summary>Makes every staged value visible; the caller holds an open <see cref="EntryTable.Publication"/>.</summary>
    /// <param name="onChanged">Called for each path whose published value changed, with the old and new entry.</param>
    public void Publish(Action<TableNode, StateEntry?, StateEntry?> onChanged)
    {
        foreach (TableNode node in _touched)
        {
            if (!node.IsStaged)
            {
                continue; // staged, then rolled back by a later savepoint
            }

            StateEntry? old = node.Entry;
            StateEntry? current = node.Staged;
            node.IsStaged = false;
            node.Staged = null;
            if (!ReferenceEquals(old, current))
            {
                table.Publish(node, current);
                onChanged(node, old, current);
            }
        }
    }

    /// <summary>Forgets everything staged (nothing becomes visible).</summary>
    public void Abort()
    {
        foreach (TableNode node in _touched)
        {
            node.IsStaged = false;
            node.Staged = null;
        }
    }

    /// <summary>Removes nodes left empty, then clears the commit for reuse.</summary>
    public void Close()
    {
        foreach (TableNode node in _touched)
        {
            table.PruneIfEmpty(node);
        }

        _touched.Clear();
        _undo.Clear();
        _events.Clear();
        _storageWrites.Clear();
        _open = false;
    }

    /// <summary>A point in a commit to roll back to.</summary>
    public readonly record struct Savepoint(int Undo, int Events, int StorageWrites, long Version);

    private readonly record struct UndoStep(TableNode Node, bool WasStaged, StateEntry? Staged);
}

/// <summary>A change a commit will make visible once it is published: the change log records it, and an event is created
/// for it then, if some subscription matches at that moment.</summary>
/// <param name="Type">What happened.</param>
/// <param name="Path">Where.</param>
/// <param name="Version">The store version it takes.</param>
/// <param name="Entry">The new entry (sets).</param>
/// <param name="Previous">The entry it replaced or removed.</param>
/// <param name="PreviousSubtree">The removed subtree, when a delete removed more than the path's own value.</param>
/// <param name="Payload">The writer's payload for subscribers.</param>
/// <param name="ThreadId">The thread that asked for it (the event's origin).</param>
/// <param name="Node">The table node changed (its cached subscription matches serve the event).</param>
/// <param name="Json">The value's canonical JSON when the write path already wrote it (a persisted set).</param>
/// <param name="Time">When, by the store's clock.</param>
/// <param name="Cause">Why.</param>
internal readonly record struct PendingEvent(
    StateEventType Type,
    StatePath Path,
    long Version,
    StateEntry? Entry,
    StateEntry? Previous,
    SubtreeSnapshot? PreviousSubtree,
    object? Payload,
    int ThreadId,
    TableNode? Node,
    byte[]? Json,
    DateTimeOffset Time,
    ChangeCause Cause);
