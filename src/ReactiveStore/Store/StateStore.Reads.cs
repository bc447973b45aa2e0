using System.Text.Json.Nodes;
using ReactiveStore.Signals;

namespace ReactiveStore;

public sealed partial class StateStore
{
    /// <summary>Reads a value, or <see langword="default"/> when the path is missing. A path with no value of its own but
    /// with descendants reads as its subtree bound to <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The type to read as.</typeparam>
    /// <param name="path">The dotted path.</param>
    /// <returns>The value.</returns>
    /// <exception cref="InvalidPathException">The path is invalid.</exception>
    /// <exception cref="StateTypeMismatchException">The stored value cannot become <typeparamref name="T"/>.</exception>
    /// <exception cref="Storage.StorageCorruptionException">Storage could not read the value; the message names the file or row.</exception>
    public T? Get<T>(string path) => Get<T>(ParseKey(path));

    /// <summary>Reads the value at a typed key, or <see langword="default"/> when missing; the derivation behind a derived key is registered first.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="key">The typed key.</param>
    /// <returns>The value.</returns>
    public T? Get<T>(StateKey<T> key)
    {
        key.EnsureDerived(this);
        return Get<T>(key.Path);
    }

    /// <summary>Reads a value, or <see langword="default"/> when missing; see <see cref="Get{T}(string)"/>.</summary>
    /// <typeparam name="T">The type to read as.</typeparam>
    /// <param name="path">The path.</param>
    /// <returns>The value.</returns>
    public T? Get<T>(StatePath path)
    {
        TryGet(path, out T? value);
        return value;
    }

    /// <summary>Reads a value, or <paramref name="defaultValue"/> when the path is missing.</summary>
    /// <typeparam name="T">The type to read as.</typeparam>
    /// <param name="path">The dotted path.</param>
    /// <param name="defaultValue">What to return when missing.</param>
    /// <returns>The value or <paramref name="defaultValue"/>.</returns>
    public T Get<T>(string path, T defaultValue) => TryGet(ParseKey(path), out T? value) ? value! : defaultValue;

    /// <summary>Reads the value at a typed key, or <paramref name="defaultValue"/> when missing.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="key">The typed key.</param>
    /// <param name="defaultValue">What to return when missing.</param>
    /// <returns>The value or <paramref name="defaultValue"/>.</returns>
    public T Get<T>(StateKey<T> key, T defaultValue)
    {
        key.EnsureDerived(this);
        return TryGet(key.Path, out T? value) ? value! : defaultValue;
    }

    /// <summary>Reads the value at a typed key if it is present; the derivation behind a derived key is registered first.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="key">The typed key.</param>
    /// <param name="value">The value when present.</param>
    /// <returns>Whether the key is present.</returns>
    public bool TryGet<T>(StateKey<T> key, out T? value)
    {
        key.EnsureDerived(this);
        return TryGet(key.Path, out value);
    }

    /// <summary>Reads a value if the path holds one (or has descendants).</summary>
    /// <typeparam name="T">The type to read as.</typeparam>
    /// <param name="path">The dotted path.</param>
    /// <param name="value">The value when present.</param>
    /// <returns>Whether the path is present.</returns>
    /// <exception cref="StateTypeMismatchException">The path is present but cannot become <typeparamref name="T"/>.</exception>
    public bool TryGet<T>(string path, out T? value) => TryGet(ParseKey(path), out value);

    /// <summary>Reads a value if the path holds one (or has descendants); see <see cref="TryGet{T}(string, out T)"/>.</summary>
    /// <typeparam name="T">The type to read as.</typeparam>
    /// <param name="path">The path.</param>
    /// <param name="value">The value when present.</param>
    /// <returns>Whether the path is present.</returns>
    public bool TryGet<T>(StatePath path, out T? value)
    {
        StateEntry? entry = ReadEntry(path, out bool hasDescendants);
        if (entry is StateEntry<T> typed)
        {
            value = typed.Value;
            return true;
        }

        if (entry is not null)
        {
            value = _converter.Convert<T>(path, entry.UntypedValue);
            return true;
        }

        if (hasDescendants && SnapshotSubtree(path) is { Leaves.Count: > 0 } subtree)
        {
            value = _converter.Convert<T>(path, subtree.ToJson(_converter));
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>Reads the entry (value and metadata) at a path, or <see langword="null"/> when it holds no value.</summary>
    /// <typeparam name="T">The type to read the value as.</typeparam>
    /// <param name="path">The dotted path.</param>
    /// <returns>The entry.</returns>
    public StateEntry<T>? GetEntry<T>(string path) => GetEntry<T>(ParseKey(path));

    /// <summary>Reads the entry (value and metadata) at a path, or <see langword="null"/> when it holds no value.</summary>
    /// <typeparam name="T">The type to read the value as.</typeparam>
    /// <param name="path">The path.</param>
    /// <returns>The entry.</returns>
    public StateEntry<T>? GetEntry<T>(StatePath path)
    {
        StateEntry? entry = ReadEntry(path, out _);
        return entry switch
        {
            null => null,
            StateEntry<T> typed => typed,
            _ => new StateEntry<T>(_converter.Convert<T>(path, entry.UntypedValue)!, entry.Metadata),
        };
    }

    /// <summary>Reads the entry (value and metadata) at a typed key, or <see langword="null"/> when it holds no value; the derivation
    /// behind a derived key is registered first.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="key">The typed key.</param>
    /// <returns>The entry.</returns>
    public StateEntry<T>? GetEntry<T>(StateKey<T> key)
    {
        key.EnsureDerived(this);
        return GetEntry<T>(key.Path);
    }

        /// <summary>Reads a path as JSON: a value as its JSON form, a path with descendants as a nested object; <see langword="null"/> when missing.</summary>
    /// <param name="path">The dotted path, or <c>""</c> for the whole store.</param>
    /// <returns>A new JSON tree the caller owns.</returns>
    /// <remarks>In a nested object, a path that holds a value and has descendants shows its own value under the reserved
    /// property <c>__value</c> beside its children.</remarks>
    public JsonNode? GetNode(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return GetNode(path.Length == 0 ? StatePath.Root : StatePath.Parse(path));
    }

    /// <summary>Reads a path as JSON; see <see cref="GetNode(string)"/>. The root reads as the whole store.</summary>
    /// <param name="path">The path.</param>
    /// <returns>A new JSON tree the caller owns.</returns>
    public JsonNode? GetNode(StatePath path)
    {
        if (path.IsRoot)
        {
            return SnapshotSubtree(path).ToJson(_converter);
        }

        StateEntry? entry = ReadEntry(path, out bool hasDescendants);
        if (entry is not null)
        {
            return _converter.ToNode(entry.UntypedValue);
        }

        return hasDescendants && SnapshotSubtree(path) is { Leaves.Count: > 0 } subtree ? subtree.ToJson(_converter) : null;
    }

    /// <summary>Gets whether a value is stored at the path itself (descendants do not count: keys are independent).</summary>
    /// <param name="path">The dotted path.</param>
    /// <returns>Whether a value is stored there.</returns>
    public bool Exists(string path) => Exists(ParseKey(path));

    /// <summary>Gets whether a value is stored at the path itself.</summary>
    /// <param name="path">The path.</param>
    /// <returns>Whether a value is stored there.</returns>
    public bool Exists(StatePath path) => ReadEntry(path, out _) is not null;

    /// <summary>Lists the paths holding a value at or below a prefix (the prefix itself included), in path order.</summary>
    /// <param name="prefix">The prefix; <see langword="null"/> (or the root) lists every stored path.</param>
    /// <returns>The paths that hold values.</returns>
    public IReadOnlyList<StatePath> List(StatePath? prefix = null)
    {
        List<KeyValuePair<StatePath, StateEntry>> leaves = SnapshotSubtree(prefix ?? StatePath.Root).Leaves;
        var paths = new StatePath[leaves.Count];
        for (int i = 0; i < paths.Length; i++)
        {
            paths[i] = leaves[i].Key;
        }

        return paths;
    }

    /// <summary>Lists the paths holding a value at or below a prefix, in path order.</summary>
    /// <param name="prefix">The dotted prefix.</param>
    /// <returns>The paths that hold values.</returns>
    public IReadOnlyList<StatePath> List(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        return List(prefix.Length == 0 ? StatePath.Root : StatePath.Parse(prefix));
    }

    /// <summary>Gets whether a value is stored at <paramref name="path"/> or anywhere below it (a map entry exists).</summary>
    internal bool HasValueOrDescendants(StatePath path) =>
        ReadEntry(path, out bool hasDescendants) is not null || (hasDescendants && SnapshotSubtree(path).Leaves.Count > 0);

    /// <summary>Runs <paramref name="read"/> so that every read it makes sees the store at one moment (no commit of this
    /// store lands in between); used by generated snapshots and payload formation.</summary>
    /// <remarks>Optimistic: runs the reads and checks no commit was published meanwhile, retrying a few times; under
    /// constant writes it then holds the store's commit turn while it reads (writers wait; readers never do).</remarks>
    internal TResult ReadConsistent<TState, TResult>(TState state, Func<TState, TResult> read)
    {
        if (_pipeline.IsStagingOnCurrentThread || DeferredWrites.MustDefer)
        {
            // Inside a commit of this store (or unable to wait for one): the commit cannot change under this thread.
            return read(state);
        }

        for (int attempt = 0; attempt < 8; attempt++)
        {
            long before = Version;
            TResult result = read(state);
            if (Version == before)
            {
                return result;
            }
        }

        TResult locked = default!;
        _pipeline.RunExclusive(() => locked = read(state));
        return locked;
    }

    /// <summary>Reads the entry at a path without locking, never observing a commit in progress. Expired values read as
    /// missing; an unreadable (corrupt) value is returned and throws when its value is used.</summary>
    /// <param name="path">The path.</param>
    /// <param name="hasDescendants">Whether values lie below the path.</param>
    /// <param name="track">Whether a computation running on this thread depends on the read (writes read untracked:
    /// a write inside an effect must never make the effect depend on what it writes).</param>
    private StateEntry? ReadEntry(StatePath path, out bool hasDescendants, bool track = true)
    {
        if (_derivations.TryGetDerivation(path, out Derivation? derivation))
        {
            hasDescendants = false;
            return derivation.ReadEntry();
        }

        StateEntry? entry;
        if (_pipeline.IsStagingOnCurrentThread && !SignalGraph.IsTracking)
        {
            // A batch reads its own writes. (Computations always read published state: they cache what they read.)
            TableNode? node = _table.Find(path.Value);
            entry = node?.Current;
            hasDescendants = node is not null && EntryTable.HasCurrentDescendants(node);
        }
        else
        {
            if (track)
            {
                _signals.Track(path);
            }

            entry = _table.ReadPublished(path.Value, out hasDescendants);
        }

        return entry is not null && entry.Metadata.ExpiresAt is not null && _applier.IsExpired(entry) ? null : entry;
    }

    /// <summary>Reads the values at and below <paramref name="path"/> at one moment, without expired ones.</summary>
    private SubtreeSnapshot SnapshotSubtree(StatePath path)
    {
        List<KeyValuePair<StatePath, StateEntry>> leaves;
        if (_pipeline.IsStagingOnCurrentThread && !SignalGraph.IsTracking)
        {
            TableNode? node = _table.Find(path.Value);
            leaves = node is null ? [] : EntryTable.SnapshotCurrent(node);
        }
        else
        {
            _signals.Track(path);
            leaves = _table.SnapshotPublished(path);
        }

        leaves.RemoveAll(leaf => leaf.Value.Metadata.ExpiresAt is not null && _applier.IsExpired(leaf.Value));
        _derivations.OverlayCurrentValues(path, leaves);
        return new SubtreeSnapshot(path, leaves);
    }
}
