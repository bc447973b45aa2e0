using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace ReactiveStore;

/// <summary>Keyed child nodes under one path: <c>products.&lt;key&gt;.*</c>, each key encoded as one path segment.</summary>
/// <typeparam name="TNode">The generated node type of every child.</typeparam>
/// <remarks>
/// The map is a view of the store: a key exists while anything is stored at or below its path. Child node instances are
/// created on first access and reused (until <see cref="Remove"/>). A key is any non-empty string — a GUID, a slug, an e-mail
/// address — stored as the segment <see cref="MapKeyEncoding.Encode"/> makes of it (plain ids such as <c>alice_1</c> unchanged);
/// <see cref="Keys"/> returns the original strings. Safe from any thread.
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

    /// <summary>Gets the keys that hold state (as the original strings), in the order of their segments.</summary>
    /// <remarks>Lists the stored paths below <see cref="Path"/>: the cost grows with the size of the subtree. A child segment that no key
    /// encodes to (one written by hand, such as <c>_other</c>) is not an entry and is left out.</remarks>
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

                // Path order keeps the leaves of one child together, so comparing with the last segment deduplicates.
                string segment = leaf[depth];
                if (!string.Equals(segment, last, StringComparison.Ordinal))
                {
                    last = segment;
                    if (MapKeyEncoding.TryDecode(segment, out string? key))
                    {
                        keys.Add(key);
                    }
                }
            }

            return keys;
        }
    }

    /// <summary>Gets the number of keys that hold state.</summary>
    public int Count => Keys.Count;

    /// <summary>Gets the child node of <paramref name="key"/> (whether or not it holds state yet).</summary>
    /// <param name="key">The key: any non-empty string.</param>
    public TNode this[string key] => Get(key);

    /// <summary>Gets the child node of <paramref name="key"/> (whether or not it holds state yet).</summary>
    /// <param name="key">The key: any non-empty string.</param>
    /// <returns>The child node, the same instance on every call.</returns>
    /// <exception cref="InvalidPathException"><paramref name="key"/> is empty, or its path would exceed <see cref="StatePath.MaxLength"/> characters.</exception>
    public TNode Get(string key)
    {
        if (_children.TryGetValue(key ?? throw new ArgumentNullException(nameof(key)), out TNode? existing))
        {
            return existing;
        }

        StatePath childPath = GetPath(key);
        return _children.GetOrAdd(key, static (_, state) => TNode.Create(state.Store, state.ChildPath), (Store, ChildPath: childPath));
    }

    /// <summary>Gets the child node of <paramref name="key"/> if anything is stored for it.</summary>
    /// <param name="key">The key.</param>
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
    /// <param name="key">The key.</param>
    /// <returns>Whether the key exists.</returns>
    public bool ContainsKey(string key) => Store.HasValueOrDescendants(GetPath(key));

    /// <summary>Deletes the whole subtree of <paramref name="key"/> (one <see cref="StateEventType.Delete"/> event), first removing the
    /// derivations registered inside it (the derived members of the entry).</summary>
    /// <param name="key">The key.</param>
    /// <returns>Whether anything was removed.</returns>
    public bool Remove(string key)
    {
        StatePath path = GetPath(key);
        Store.RemoveDerivationsWithin(path);
        bool removed = Store.Delete(path);
        _children.TryRemove(key, out _);
        return removed;
    }

    /// <summary>Calls <paramref name="callback"/> for every event in the map's subtree.</summary>
    /// <param name="callback">The callback.</param>
    /// <returns>The subscription; dispose it to stop delivery.</returns>
    public Subscription SubscribeAll(Action<StateEvent> callback) => StateNodeSupport.SubscribeAll(Store, Path, callback);

    /// <summary>Gets the path of the entry of <paramref name="key"/>: <see cref="Path"/> followed by the key's encoded segment.</summary>
    /// <param name="key">The key: any non-empty string.</param>
    /// <returns>The path of the child node.</returns>
    /// <exception cref="InvalidPathException"><paramref name="key"/> is empty, or the path would exceed <see cref="StatePath.MaxLength"/> characters.</exception>
    public StatePath GetPath(string key)
    {
        string segment = MapKeyEncoding.Encode(key);
        int length = Path.IsRoot ? segment.Length : Path.Value.Length + 1 + segment.Length;
        if (length > StatePath.MaxLength)
        {
            throw new InvalidPathException(
                $"Map key '{Shorten(key)}' ({key.Length} characters) is too long for map '{Path}': its entry path would have {length} characters, over the limit of {StatePath.MaxLength}.",
                key,
                -1);
        }

        return Path.Append(segment);
    }

    /// <summary>The dotted path of the map.</summary>
    public override string ToString() => Path.ToString();

    private static string Shorten(string key) => key.Length <= 64 ? key : key[..61] + "...";
}
