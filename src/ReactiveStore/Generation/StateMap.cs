using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace ReactiveStore;

/// <summary>Keyed child nodes under one path: <c>products.&lt;key&gt;.*</c>, each key one path segment.</summary>
/// <typeparam name="TNode">The generated node type of every child.</typeparam>
/// <remarks>
/// The map is a view of the store: a key exists while anything is stored at or below its path. Child node instances are
/// created on first access and reused (until <see cref="Remove"/>). Keys are path segments (<c>[A-Za-z0-9_]+</c>, not starting
/// with <c>__</c>); any other key throws <see cref="InvalidPathException"/>. Safe from any thread.
/// </remarks>
public sealed class StateMap<TNode>
    where TNode : class, IStateNode<TNode>
{
    private readonly ConcurrentDictionary<string, TNode> _children = new(StringComparer.Ordinal);

    /// <summary>Creates the map of the children of <paramref name="path"/> in <paramref name="store"/>.</summary>
    /// <param name="store">The store.</param>
    /// <param name="path">The path whose children are the entries.</param>
    public StateMap(StateStore store, StatePath path)
    {
        ArgumentNullException.ThrowIfNull(store);
        Store = store;
        Path = path;
    }

    /// <summary>Gets the store.</summary>
    public StateStore Store { get; }

    /// <summary>Gets the path whose children are the entries.</summary>
    public StatePath Path { get; }

    /// <summary>Gets the keys that hold state, in path order.</summary>
    /// <remarks>Lists the stored paths below <see cref="Path"/>: the cost grows with the size of the subtree.</remarks>
    public IReadOnlyList<string> Keys
    {
        get
        {
            IReadOnlyList<StatePath> leaves = Store.List(Path);
            var keys = new List<string>();
            int depth = Path.Depth;
            string? last = null;
            foreach (StatePath leaf in leaves)
            {
                if (leaf.Depth <= depth)
                {
                    continue;
                }

                // Path order keeps the leaves of one child together, so comparing with the last key deduplicates.
                string key = leaf[depth];
                if (!string.Equals(key, last, StringComparison.Ordinal))
                {
                    keys.Add(key);
                    last = key;
                }
            }

            return keys;
        }
    }

    /// <summary>Gets the number of keys that hold state.</summary>
    public int Count => Keys.Count;

    /// <summary>Gets the child node of <paramref name="key"/> (whether or not it holds state yet).</summary>
    /// <param name="key">One path segment.</param>
    public TNode this[string key] => Get(key);

    /// <summary>Gets the child node of <paramref name="key"/> (whether or not it holds state yet).</summary>
    /// <param name="key">One path segment.</param>
    /// <returns>The child node, the same instance on every call.</returns>
    /// <exception cref="InvalidPathException"><paramref name="key"/> is not a valid segment or is reserved.</exception>
    public TNode Get(string key)
    {
        if (_children.TryGetValue(key ?? throw new ArgumentNullException(nameof(key)), out TNode? existing))
        {
            return existing;
        }

        StatePath childPath = ChildPath(key);
        return _children.GetOrAdd(key, static (_, state) => TNode.Create(state.Store, state.ChildPath), (Store, ChildPath: childPath));
    }

    /// <summary>Gets the child node of <paramref name="key"/> if anything is stored for it.</summary>
    /// <param name="key">One path segment.</param>
    /// <param name="node">The child node when the key exists.</param>
    /// <returns>Whether the key exists.</returns>
    public bool TryGet(string key, [NotNullWhen(true)] out TNode? node)
    {
        if (ContainsKey(key))
        {
            node = Get(key);
            return true;
        }

        node = null;
        return false;
    }

    /// <summary>Gets whether anything is stored at or below the path of <paramref name="key"/>.</summary>
    /// <param name="key">One path segment.</param>
    /// <returns>Whether the key exists.</returns>
    public bool ContainsKey(string key) => Store.HasValueOrDescendants(ChildPath(key));

    /// <summary>Deletes the whole subtree of <paramref name="key"/> (one <see cref="StateEventType.Delete"/> event), first removing the
    /// derivations registered inside it (the derived members of the entry).</summary>
    /// <param name="key">One path segment.</param>
    /// <returns>Whether anything was removed.</returns>
    public bool Remove(string key)
    {
        StatePath path = ChildPath(key);
        Store.RemoveDerivationsWithin(path);
        bool removed = Store.Delete(path);
        _children.TryRemove(key, out _);
        return removed;
    }

    /// <summary>Calls <paramref name="callback"/> for every event in the map's subtree.</summary>
    /// <param name="callback">The callback.</param>
    /// <returns>The subscription; dispose it to stop delivery.</returns>
    public Subscription SubscribeAll(Action<StateEvent> callback) => StateNodeSupport.SubscribeAll(Store, Path, callback);

    /// <summary>The dotted path of the map.</summary>
    public override string ToString() => Path.ToString();

    private StatePath ChildPath(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        StatePath path = Path.Append(key);
        if (key.StartsWith(PathGrammar.ReservedPrefix, StringComparison.Ordinal))
        {
            throw new InvalidPathException(
                $"Invalid map key '{key}': segments starting with '{PathGrammar.ReservedPrefix}' are reserved for the system.",
                key,
                0);
        }

        return path;
    }
}
