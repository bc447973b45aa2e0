using System.ComponentModel;

namespace ReactiveStore;

/// <summary>Helpers the generated <see cref="StateNodeAttribute"/> classes call; general-purpose, but not meant to be called by hand.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class StateNodeSupport
{
    private static readonly SubscribeOptions s_exact = new() { Bubble = false };
    private static readonly WatchOptions s_exactWatch = new() { Bubble = false };

    /// <summary>Calls <paramref name="callback"/> with the typed change for every set or delete of exactly <paramref name="path"/> (pings are skipped);
    /// the derivation behind a derived key is registered first.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="store">The store.</param>
    /// <param name="path">The key of the value.</param>
    /// <param name="callback">The callback.</param>
    /// <returns>The subscription; dispose it to stop delivery.</returns>
    public static Subscription SubscribeValue<T>(StateStore store, StateKey<T> path, Action<ValueChange<T>> callback)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(callback);
        path.EnsureDerived(store);
        return store.Subscribe(path.ToString(), callback, static (e, cb) =>
        {
            if (e.Type != StateEventType.Ping)
            {
                cb(ToValueChange<T>(e));
            }
        }, s_exact);
    }

    /// <summary>Returns the new values of exactly <paramref name="path"/> as an observable (pings are skipped; a delete yields <see langword="default"/>).</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="store">The store.</param>
    /// <param name="path">The key of the value.</param>
    /// <returns>The observable; each observer gets its own subscription.</returns>
    public static IObservable<T> ObserveValue<T>(StateStore store, StateKey<T> path)
    {
        ArgumentNullException.ThrowIfNull(store);
        path.EnsureDerived(store);
        return new ValueObservable<T>(store.Observe(path.ToString(), s_exact));
    }

    /// <summary>Streams the typed changes of exactly <paramref name="path"/>; the watcher is subscribed before this returns.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="store">The store.</param>
    /// <param name="path">The key of the value.</param>
    /// <param name="cancellationToken">Ends the watch.</param>
    /// <returns>The stream; enumerate it once.</returns>
    public static IAsyncEnumerable<ValueChange<T>> WatchValue<T>(StateStore store, StateKey<T> path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        path.EnsureDerived(store);
        return new ValueWatch<T>(store.Watch(path.ToString(), s_exactWatch, cancellationToken));
    }

    /// <summary>Calls <paramref name="callback"/> for every event at <paramref name="path"/> or below it (the root subscribes to everything).</summary>
    /// <param name="store">The store.</param>
    /// <param name="path">The path of the subtree.</param>
    /// <param name="callback">The callback.</param>
    /// <returns>The subscription; dispose it to stop delivery.</returns>
    public static Subscription SubscribeAll(StateStore store, StatePath path, Action<StateEvent> callback)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.Subscribe(path.IsRoot ? "*" : path.ToString(), callback);
    }

    /// <summary>Returns the notifier in <paramref name="field"/>, creating it on first use (thread-safe, one instance kept).</summary>
    /// <param name="field">The node's notifier field.</param>
    /// <param name="sender">The node, passed as the event sender.</param>
    /// <param name="store">The store.</param>
    /// <param name="nodePath">The path of the node.</param>
    /// <param name="segments">The segment of each notifying member.</param>
    /// <param name="propertyNames">The property name of each notifying member, in the order of <paramref name="segments"/>.</param>
    /// <returns>The notifier.</returns>
    public static PropertyChangedNotifier GetNotifier(
        ref PropertyChangedNotifier? field,
        object sender,
        StateStore store,
        StatePath nodePath,
        string[] segments,
        string[] propertyNames)
    {
        PropertyChangedNotifier? notifier = Volatile.Read(ref field);
        if (notifier is not null)
        {
            return notifier;
        }

        notifier = new PropertyChangedNotifier(sender, store, nodePath, segments, propertyNames);
        return Interlocked.CompareExchange(ref field, notifier, null) ?? notifier;
    }

    /// <summary>Returns the child in <paramref name="field"/>, creating it on first use (thread-safe, one instance kept).</summary>
    /// <typeparam name="TChild">The child type.</typeparam>
    /// <param name="field">The node's field for the child.</param>
    /// <param name="store">The store.</param>
    /// <param name="path">The path of the child.</param>
    /// <returns>The child node.</returns>
    public static TChild GetChild<TChild>(ref TChild? field, StateStore store, StatePath path)
        where TChild : class, IStateNode<TChild>
    {
        TChild? child = Volatile.Read(ref field);
        if (child is not null)
        {
            return child;
        }

        child = TChild.Create(store, path);
        return Interlocked.CompareExchange(ref field, child, null) ?? child;
    }

    /// <summary>Returns the map in <paramref name="field"/>, creating it on first use (thread-safe, one instance kept).</summary>
    /// <typeparam name="TNode">The child node type.</typeparam>
    /// <param name="field">The node's field for the map.</param>
    /// <param name="store">The store.</param>
    /// <param name="path">The path of the map.</param>
    /// <returns>The map.</returns>
    public static StateMap<TNode> GetMap<TNode>(ref StateMap<TNode>? field, StateStore store, StatePath path)
        where TNode : class, IStateNode<TNode>
    {
        StateMap<TNode>? map = Volatile.Read(ref field);
        if (map is not null)
        {
            return map;
        }

        map = new StateMap<TNode>(store, path);
        return Interlocked.CompareExchange(ref field, map, null) ?? map;
    }

    /// <summary>Returns the derivation in <paramref name="field"/>, registering it on first use: the store's derivation at the
    /// key's path when one exists (another instance of the node registered it), else <paramref name="compute"/> run under tracking.</summary>
    /// <typeparam name="TNode">The node type.</typeparam>
    /// <typeparam name="T">The derived value type.</typeparam>
    /// <param name="field">The node's field for the derivation.</param>
    /// <param name="store">The store.</param>
    /// <param name="key">The derived path.</param>
    /// <param name="node">The node whose compute method runs.</param>
    /// <param name="compute">Calls the compute method; ideally a <see langword="static"/> lambda.</param>
    /// <returns>The registered derivation.</returns>
    /// <remarks>The computation's store reads (through the node's generated getters) are tracked, so its dependencies are
    /// what it read in its last run, including reads on branches the compile-time analysis cannot see.</remarks>
    public static Derivation<T> Derive<TNode, T>(ref Derivation<T>? field, StateStore store, StateKey<T> key, TNode node, Func<TNode, T> compute)
        where TNode : class
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(compute);
        Derivation<T>? derivation = Volatile.Read(ref field);
        if (derivation is not null && derivation.IsActive)
        {
            return derivation;
        }

        derivation = store.GetOrDerive(key.Path, _ => compute(node));
        Volatile.Write(ref field, derivation);
        return derivation;
    }

    /// <summary>Writes <paramref name="value"/> at <paramref name="key"/> and returns whether the stored value changed and the value it
    /// replaced, read in the same commit as the write (so <paramref name="previous"/> is exactly what the write overwrote).</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="store">The store.</param>
    /// <param name="key">The key of the value.</param>
    /// <param name="value">The value.</param>
    /// <param name="previous">The value before the write: <see langword="default"/> when the key was missing.</param>
    /// <returns>Whether the write changed the store; <see langword="false"/> when the store already held an equal value, or the key was
    /// missing and <paramref name="value"/> is <see langword="default"/> (what the node reads anyway), in which case nothing is written.</returns>
    /// <remarks>One atomic commit: no other write to the store can come between the read of <paramref name="previous"/> and the write.</remarks>
    public static bool SetValue<T>(StateStore store, StateKey<T> key, T value, out T previous)
    {
        ArgumentNullException.ThrowIfNull(store);

        // One commit: the comparison and the write see the same entry, and the replaced value comes from that commit.
        bool changed = store.SetIfChanged(key.Path, value, out T? replaced);
        previous = replaced!;
        return changed;
    }

    /// <summary>Runs <paramref name="read"/> as one consistent read of <paramref name="store"/>: no commit is seen half, so a batch that
    /// changed several values is seen whole or not at all.</summary>
    /// <typeparam name="TState">The state passed to <paramref name="read"/>.</typeparam>
    /// <typeparam name="TResult">The result.</typeparam>
    /// <param name="store">The store.</param>
    /// <param name="state">The state passed to <paramref name="read"/> (lets it be a <see langword="static"/> lambda).</param>
    /// <param name="read">The reads; it must only read (derived values it reads may be brought up to date).</param>
    /// <returns>What <paramref name="read"/> returned.</returns>
    /// <remarks>Commits wait while <paramref name="read"/> runs: keep it short.</remarks>
    public static TResult ReadConsistent<TState, TResult>(StateStore store, TState state, Func<TState, TResult> read)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(read);
        return store.ReadConsistent(state, read);
    }

    /// <summary>Creates the typed key of a derived member at a node's default path; reading it registers the derivation of the store's
    /// root node (<see cref="StateStore.Root{T}"/>) first.</summary>
    /// <typeparam name="TNode">The node type.</typeparam>
    /// <typeparam name="T">The derived value type.</typeparam>
    /// <param name="path">The dotted path of the derived member.</param>
    /// <param name="derivation">Returns a node's registered derivation of the member, registering it on first use.</param>
    /// <returns>The key.</returns>
    public static StateKey<T> DerivedKey<TNode, T>(string path, Func<TNode, Derivation<T>> derivation)
        where TNode : class, IStateNode<TNode>
    {
        ArgumentNullException.ThrowIfNull(derivation);
        return new StateKey<T>(StatePath.Parse(path), new RootKeyDerivation<TNode, T>(derivation));
    }

    /// <summary>Creates the typed key of a derived member of one node instance; reading it registers that node's derivation first.</summary>
    /// <typeparam name="TNode">The node type.</typeparam>
    /// <typeparam name="T">The derived value type.</typeparam>
    /// <param name="path">The path of the derived member.</param>
    /// <param name="node">The node.</param>
    /// <param name="derivation">Returns a node's registered derivation of the member, registering it on first use.</param>
    /// <returns>The key.</returns>
    public static StateKey<T> DerivedKey<TNode, T>(StatePath path, TNode node, Func<TNode, Derivation<T>> derivation)
        where TNode : class, IStateNode<TNode>
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(derivation);
        return new StateKey<T>(path, new NodeKeyDerivation<TNode, T>(node, derivation));
    }

    /// <summary>Writes <paramref name="value"/> in a batch unless the node would already read it (equal, or missing and <see langword="default"/>).</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="writer">The batch writer.</param>
    /// <param name="key">The key of the value.</param>
    /// <param name="value">The value.</param>
    public static void ApplyValue<T>(IStateWriter writer, StateKey<T> key, T value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        bool exists = writer.TryGet(key.Path.ToString(), out T? current);
        if (EqualityComparer<T>.Default.Equals(exists ? current! : default!, value))
        {
            return;
        }

        writer.Set(key, value);
    }

    /// <summary>Makes a map hold exactly the keys of <paramref name="snapshot"/>: removes the others, then applies each entry.</summary>
    /// <typeparam name="TNode">The child node type.</typeparam>
    /// <typeparam name="TSnapshot">The child snapshot type.</typeparam>
    /// <param name="writer">The batch writer.</param>
    /// <param name="map">The map.</param>
    /// <param name="snapshot">The entries to hold.</param>
    /// <param name="apply">Applies one entry to its child node.</param>
    public static void ApplyMap<TNode, TSnapshot>(
        IStateWriter writer,
        StateMap<TNode> map,
        IReadOnlyDictionary<string, TSnapshot> snapshot,
        Action<TNode, IStateWriter, TSnapshot> apply)
        where TNode : class, IStateNode<TNode>
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(apply);
        foreach (string key in map.Keys)
        {
            if (!snapshot.ContainsKey(key))
            {
                StatePath path = map.GetPath(key);
                map.Store.RemoveDerivationsWithin(path);
                writer.Delete(path);
            }
        }

        foreach (string key in SortedKeys(snapshot))
        {
            apply(map[key], writer, snapshot[key]);
        }
    }

    /// <summary>Snapshots every entry of a map, keyed and ordered by key.</summary>
    /// <typeparam name="TNode">The child node type.</typeparam>
    /// <typeparam name="TSnapshot">The child snapshot type.</typeparam>
    /// <param name="map">The map.</param>
    /// <param name="snapshot">Snapshots one child node.</param>
    /// <returns>The snapshots by key.</returns>
    public static IReadOnlyDictionary<string, TSnapshot> SnapshotMap<TNode, TSnapshot>(StateMap<TNode> map, Func<TNode, TSnapshot> snapshot)
        where TNode : class, IStateNode<TNode>
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(snapshot);
        var result = new SortedDictionary<string, TSnapshot>(StringComparer.Ordinal);
        foreach (string key in map.Keys)
        {
            result[key] = snapshot(map[key]);
        }

        return result;
    }

    /// <summary>Reads the typed values of a <see cref="StateEventType.Set"/> or <see cref="StateEventType.Delete"/> event.</summary>
    internal static ValueChange<T> ToValueChange<T>(StateEvent stateEvent) =>
        new(stateEvent.GetPreviousValue<T>()!, stateEvent.GetValue<T>()!, stateEvent);

    private static List<string> SortedKeys<TSnapshot>(IReadOnlyDictionary<string, TSnapshot> snapshot)
    {
        var keys = new List<string>(snapshot.Count);
        foreach (KeyValuePair<string, TSnapshot> pair in snapshot)
        {
            keys.Add(pair.Key);
        }

        keys.Sort(StringComparer.Ordinal);
        return keys;
    }
}
