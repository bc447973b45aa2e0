using System.Collections.Concurrent;

namespace ReactiveStore;

/// <summary>The store's in-memory tree of entries: a flat concurrent map from path to node for lock-free point reads,
/// and ordinally sorted children per node for ordered listing and subtree work.</summary>
/// <remarks>
/// Invariants: a node holds either an entry (a leaf) or children (an interior node), never both; a node with neither
/// is removed at once. Mutations and child enumeration happen only under the store's write lock; <see cref="Find"/>
/// and <see cref="TableNode.Entry"/> may be read from any thread.
/// </remarks>
internal sealed class EntryTable
{
    private readonly ConcurrentDictionary<string, TableNode> _nodes = new(StringComparer.Ordinal);
    private readonly TableNode _root = new(StatePath.Root, null);
    private int _leafCount;

    /// <summary>Gets the root (the parent of every one-segment path; never a leaf).</summary>
    public TableNode Root => _root;

    /// <summary>Gets the number of stored values.</summary>
    public int Count => Volatile.Read(ref _leafCount);

    public TableNode? Find(string path) => path.Length == 0 ? _root : _nodes.TryGetValue(path, out TableNode? node) ? node : null;

    /// <summary>Returns the leaf node for <paramref name="path"/>, creating it and its ancestors if needed.</summary>
    /// <exception cref="InvalidOperationException">An ancestor holds a value, or the path has children.</exception>
    public TableNode GetOrCreateLeaf(StatePath path)
    {
        TableNode? existing = Find(path.Value);
        if (existing is not null)
        {
            if (existing.Entry is null && existing.HasChildren)
            {
                throw HasChildrenConflict(path, existing);
            }

            return existing;
        }

        // Find the nearest existing ancestor and make sure it is not a leaf.
        int depth = path.Depth - 1;
        TableNode? ancestor = null;
        while (depth > 0)
        {
            ancestor = Find(path.GetAncestor(depth).Value);
            if (ancestor is not null)
            {
                break;
            }

            depth--;
        }

        ancestor ??= _root;
        if (ancestor.Entry is not null)
        {
            throw new InvalidOperationException(
                $"Cannot store a value at '{path}': its ancestor '{ancestor.Path}' holds a value. "
                + "A path holds either a value or children; delete the ancestor first.");
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

    /// <summary>The error for a write of a value to a path that has children.</summary>
    public static InvalidOperationException HasChildrenConflict(StatePath path, TableNode node) => new(
        $"Cannot store a value at '{path}': it has children (for example '{node.FirstChild?.Path}'). "
        + "A path holds either a value or children; delete the subtree first.");

    /// <summary>Stores an entry in a leaf node.</summary>
    public void Put(TableNode node, StateEntry entry)
    {
        if (node.Entry is null)
        {
            _leafCount++;
        }

        Volatile.Write(ref node.Entry, entry);
    }

    /// <summary>Removes a node and its subtree (callers that need the removed leaves collect them first with <see cref="CollectLeaves"/>).</summary>
    public void RemoveSubtree(TableNode node)
    {
        var stack = new Stack<TableNode>();
        stack.Push(node);
        while (stack.Count > 0)
        {
            TableNode current = stack.Pop();
            if (current.Entry is not null)
            {
                Volatile.Write(ref current.Entry, null);
                _leafCount--;
            }

            foreach (TableNode child in current.Children)
            {
                stack.Push(child);
            }

            _nodes.TryRemove(current.Path.Value, out _);
        }

        DetachAndPrune(node);
    }

    /// <summary>Adds every leaf at or below <paramref name="node"/> to <paramref name="leaves"/>, in path order.</summary>
    public static void CollectLeaves(TableNode node, List<KeyValuePair<StatePath, StateEntry>> leaves)
    {
        var stack = new Stack<TableNode>();
        stack.Push(node);
        while (stack.Count > 0)
        {
            TableNode current = stack.Pop();
            StateEntry? entry = current.Entry;
            if (entry is not null)
            {
                leaves.Add(new KeyValuePair<StatePath, StateEntry>(current.Path, entry));
                continue;
            }

            // Push in reverse so the smallest child is visited first (pre-order, ordinal).
            TableNode[] children = current.ChildrenInOrder();
            for (int i = children.Length - 1; i >= 0; i--)
            {
                stack.Push(children[i]);
            }
        }
    }

    private void DetachAndPrune(TableNode node)
    {
        TableNode? parent = node.Parent;
        if (parent is null)
        {
            return;
        }

        parent.RemoveChild(node);
        while (parent.Parent is not null && parent.Entry is null && !parent.HasChildren)
        {
            _nodes.TryRemove(parent.Path.Value, out _);
            parent.Parent.RemoveChild(parent);
            parent = parent.Parent;
        }
    }
}

/// <summary>A node of the <see cref="EntryTable"/>.</summary>
internal sealed class TableNode(StatePath path, TableNode? parent)
{
    /// <summary>The stored entry; <see langword="null"/> for an interior node. Read with <see cref="Volatile"/>.</summary>
    public StateEntry? Entry;

    private SortedDictionary<string, TableNode>? _children;

    public StatePath Path { get; } = path;

    public TableNode? Parent { get; } = parent;

    public bool HasChildren => _children is { Count: > 0 };

    public TableNode? FirstChild
    {
        get
        {
            if (_children is null)
            {
                return null;
            }

            foreach (TableNode child in _children.Values)
            {
                return child;
            }

            return null;
        }
    }

    public IEnumerable<TableNode> Children => _children is null ? [] : _children.Values;

    public TableNode[] ChildrenInOrder()
    {
        if (_children is null || _children.Count == 0)
        {
            return [];
        }

        var result = new TableNode[_children.Count];
        _children.Values.CopyTo(result, 0);
        return result;
    }

    public void AddChild(TableNode child) => (_children ??= new SortedDictionary<string, TableNode>(StringComparer.Ordinal)).Add(child.Path.Name, child);

    public void RemoveChild(TableNode child) => _children?.Remove(child.Path.Name);
}
