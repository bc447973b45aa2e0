using System.Collections.Concurrent;
using System.Diagnostics;

namespace ReactiveStore;

/// <summary>The store's in-memory tree of entries: a flat concurrent map from path to node for lock-free point reads, and
/// ordinally sorted children per node for ordered listing and subtree work.</summary>
/// <remarks>
/// <para>Keys are independent: a path may hold a value and have descendants.</para>
/// <para>Three kinds of access, three rules:</para>
/// <list type="bullet">
/// <item>Point readers (any thread) use <see cref="ReadPublished"/>: no lock; they retry while a publication is in progress
/// (the sequence is odd), so a reader never sees half of a commit.</item>
/// <item>The commit turn holder stages writes on nodes (<see cref="TableNode.Staged"/>) that readers never look at, and
/// creates nodes under the structure lock.</item>
/// <item>Publication (<see cref="BeginPublish"/>) and subtree snapshots hold the structure lock, which is never held
/// across user code or I/O.</item>
/// </list>
/// </remarks>
internal sealed class EntryTable
{
    private readonly ConcurrentDictionary<string, TableNode> _nodes = new(StringComparer.Ordinal);
    private readonly TableNode _root = new(StatePath.Root, null);
    private readonly Lock _structure = new();
    private long _sequence;
    private int _count;

    /// <summary>Gets the root (the parent of every one-segment path; never holds a value).</summary>
    public TableNode Root => _root;

    /// <summary>Gets the number of published values.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Gets the lock that guards the tree's shape and publication.</summary>
    public Lock Structure => _structure;

    public TableNode? Find(string path) => path.Length == 0 ? _root : _nodes.TryGetValue(path, out TableNode? node) ? node : null;

    /// <summary>Reads the published entry at <paramref name="path"/> without locking, never during a publication.</summary>
    /// <param name="path">The dotted path.</param>
    /// <param name="hasDescendants">Whether published values lie below the path.</param>
    /// <returns>The entry, or <see langword="null"/>.</returns>
    public StateEntry? ReadPublished(string path, out bool hasDescendants)
    {
        SpinWait spinner = default;
        while (true)
        {
            long before = Volatile.Read(ref _sequence);
            if ((before & 1) == 0)
            {
                TableNode? node = Find(path);
                StateEntry? entry = node is null ? null : Volatile.Read(ref node.Entry);
                hasDescendants = node is not null && Volatile.Read(ref node.PublishedBelow) > 0;
                if (Volatile.Read(ref _sequence) == before)
                {
                    return entry;
                }
            }

            if (spinner.NextSpinWillYield)
            {
                // A publication holds the structure lock for its duration (memory only, no user code): wait for it.
                _structure.Enter();
                _structure.Exit();
                spinner.Reset();
            }
            else
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }
        }
    }

    /// <summary>Collects the published values at and below <paramref name="path"/>, in path order, at one moment.</summary>
    public List<KeyValuePair<StatePath, StateEntry>> SnapshotPublished(StatePath path)
    {
        var leaves = new List<KeyValuePair<StatePath, StateEntry>>();
        lock (_structure)
        {
            TableNode? node = Find(path.Value);
            if (node is not null)
            {
                Collect(node, leaves, staged: false);
            }
        }

        return leaves;
    }

    /// <summary>Collects the values at and below <paramref name="node"/> as the open commit sees them (turn holder only).</summary>
    public static List<KeyValuePair<StatePath, StateEntry>> SnapshotCurrent(TableNode node)
    {
        var leaves = new List<KeyValuePair<StatePath, StateEntry>>();
        Collect(node, leaves, staged: true);
        return leaves;
    }

    /// <summary>Gets whether some value lies strictly below <paramref name="node"/> as the open commit sees it (turn holder only).</summary>
    public static bool HasCurrentDescendants(TableNode node)
    {
        var stack = new Stack<TableNode>();
        foreach (TableNode child in node.ChildrenInOrder())
        {
            stack.Push(child);
        }

        while (stack.Count > 0)
        {
            TableNode current = stack.Pop();
            if (current.Current is not null)
            {
                return true;
            }

            foreach (TableNode child in current.ChildrenInOrder())
            {
                stack.Push(child);
            }
        }

        return false;
    }

    /// <summary>Returns the node for <paramref name="path"/>, creating it and its ancestors (invisible to readers until a
    /// value is published there). Turn holder only.</summary>
    public TableNode GetOrCreate(StatePath path)
    {
        TableNode? existing = Find(path.Value);
        if (existing is not null)
        {
            return existing;
        }

        lock (_structure)
        {
            int depth = path.Depth - 1;
            TableNode ancestor = _root;
            while (depth > 0)
            {
                TableNode? found = Find(path.GetAncestor(depth).Value);
                if (found is not null)
                {
                    ancestor = found;
                    break;
                }

                depth--;
            }

            TableNode node = ancestor;
            for (int d = ancestor.Path.Depth + 1; d <= path.Depth; d++)
            {
                StatePath childPath = d == path.Depth ? path : path.GetAncestor(d);
                var child = new TableNode(childPath, node);
                node.AddChild(child);
                _nodes[childPath.Value] = child;
                node = child;
            }

            return node;
        }
    }

    /// <summary>Opens a publication: readers wait until it is disposed. Turn holder only; no user code may run inside.</summary>
    public Publication BeginPublish()
    {
        _structure.Enter();
        Volatile.Write(ref _sequence, _sequence + 1);
        return new Publication(this);
    }

    /// <summary>Publishes <paramref name="entry"/> (or a removal) at <paramref name="node"/>, keeping the counts right.
    /// Inside a publication only.</summary>
    public void Publish(TableNode node, StateEntry? entry)
    {
        Debug.Assert(_structure.IsHeldByCurrentThread && (_sequence & 1) == 1, "Publish runs inside a publication.");
        StateEntry? old = node.Entry;
        Volatile.Write(ref node.Entry, entry);
        int delta = (entry is null ? 0 : 1) - (old is null ? 0 : 1);
        if (delta != 0)
        {
            _count += delta;
            for (TableNode? ancestor = node.Parent; ancestor is not null; ancestor = ancestor.Parent)
            {
                Volatile.Write(ref ancestor.PublishedBelow, ancestor.PublishedBelow + delta);
            }
        }
    }

    /// <summary>Loads an entry at <paramref name="path"/> while the store is being opened (nobody else can see it yet).</summary>
    public void Load(StatePath path, StateEntry entry)
    {
        TableNode node = GetOrCreate(path);
        using Publication publication = BeginPublish();
        Publish(node, entry);
    }

    /// <summary>Removes <paramref name="node"/> and its empty ancestors if they hold nothing and have no children.
    /// Turn holder only.</summary>
    public void PruneIfEmpty(TableNode node)
    {
        if (node.Parent is null || !node.IsEmpty)
        {
            return;
        }

        lock (_structure)
        {
            TableNode? current = node;
            while (current?.Parent is not null && current.IsEmpty && current.PublishedBelow == 0)
            {
                TableNode parent = current.Parent;
                _nodes.TryRemove(current.Path.Value, out _);
                parent.RemoveChild(current);
                current = parent;
            }
        }
    }

    private static void Collect(TableNode node, List<KeyValuePair<StatePath, StateEntry>> leaves, bool staged)
    {
        // Pre-order, children in ordinal order: a path comes before its descendants, which is path order.
        var stack = new Stack<TableNode>();
        stack.Push(node);
        while (stack.Count > 0)
        {
            TableNode current = stack.Pop();
            StateEntry? entry = staged ? current.Current : current.Entry;
            if (entry is not null && !current.Path.IsRoot)
            {
                leaves.Add(new KeyValuePair<StatePath, StateEntry>(current.Path, entry));
            }

            if (!staged && current.PublishedBelow == 0)
            {
                continue;
            }

            TableNode[] children = current.ChildrenInOrder();
            for (int i = children.Length - 1; i >= 0; i--)
            {
                stack.Push(children[i]);
            }
        }
    }

    /// <summary>An open publication; disposing it lets readers in again.</summary>
    public readonly ref struct Publication(EntryTable table)
    {
        public void Dispose()
        {
            Volatile.Write(ref table._sequence, table._sequence + 1);
            table._structure.Exit();
        }
    }
}
