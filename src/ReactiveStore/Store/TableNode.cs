namespace ReactiveStore;

/// <summary>A node of the <see cref="EntryTable"/>: one path, its published value (if any), its children, and the value a
/// commit in progress has staged for it.</summary>
/// <remarks>
/// <para>Keys are independent: a node may hold a value and have children at the same time.</para>
/// <para>Published state (<see cref="Entry"/>, <see cref="PublishedBelow"/>) is written only while the table publishes
/// (structure lock held, sequence odd) and read by anyone. Staged state is touched only by the thread that holds the
/// store's commit turn. Children are added and removed under the structure lock.</para>
/// </remarks>
internal sealed class TableNode(StatePath path, TableNode? parent)
{
    /// <summary>The published entry; <see langword="null"/> when no value is stored at this path. Read with <see cref="Volatile"/>.</summary>
    public StateEntry? Entry;

    /// <summary>How many published values lie strictly below this node. Read with <see cref="Volatile"/>.</summary>
    public int PublishedBelow;

    /// <summary>The value the open commit has staged for this path (meaningful while <see cref="IsStaged"/>).</summary>
    public StateEntry? Staged;

    /// <summary>Whether the open commit has staged a value (or, with <see cref="Staged"/> null, a removal) for this path.</summary>
    public bool IsStaged;

    /// <summary>The commit that last recorded this node as touched (so a commit records each node once).</summary>
    public long TouchedBy;

    /// <summary>The subscriptions matching this path in delivery order, valid while the subscription index's version is
    /// <see cref="MatchesVersion"/>. Read and written only while publishing.</summary>
    public SubscriptionMatch[]? Matches;

    /// <summary>The subscription index version <see cref="Matches"/> was computed at.</summary>
    public long MatchesVersion;

    private SortedDictionary<string, TableNode>? _children;

    public StatePath Path { get; } = path;

    public TableNode? Parent { get; } = parent;

    /// <summary>Gets the value as the commit in progress sees it (staged, else published). Turn holder only.</summary>
    public StateEntry? Current => IsStaged ? Staged : Entry;

    public bool HasChildren => _children is { Count: > 0 };

    public int ChildCount => _children?.Count ?? 0;

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

    /// <summary>Gets whether the node can be removed: no value (published or staged) and no children.</summary>
    public bool IsEmpty => Entry is null && !(IsStaged && Staged is not null) && !HasChildren;

    /// <summary>Copies the children in ordinal order (caller holds the structure lock, or is the only mutator).</summary>
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

    public TableNode? GetChild(string segment) => _children is not null && _children.TryGetValue(segment, out TableNode? child) ? child : null;

    public void AddChild(TableNode child) => (_children ??= new SortedDictionary<string, TableNode>(StringComparer.Ordinal)).Add(child.Path.Name, child);

    public void RemoveChild(TableNode child) => _children?.Remove(child.Path.Name);

    /// <inheritdoc/>
    public override string ToString() => Path.IsRoot ? "(root)" : Path.ToString();
}
