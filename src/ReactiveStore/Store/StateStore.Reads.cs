using System.Text.Json.Nodes;

namespace ReactiveStore;

public sealed partial class StateStore
{
    /// <summary>Reads a value, or <see langword="default"/> when the path is missing. A path with descendants reads as its subtree bound to <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The type to read as.</typeparam>
    /// <param name="path">The dotted path.</param>
    /// <returns>The value.</returns>
    /// <exception cref="InvalidPathException">The path is invalid.</exception>
    /// <exception cref="StateTypeMismatchException">The stored value cannot become <typeparamref name="T"/>.</exception>
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
        StateEntry? entry = ReadEntry(path, out bool hasChildren);
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

        if (hasChildren)
        {
            value = _converter.Convert<T>(path, SnapshotSubtree(path).ToJson(_converter));
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

        StateEntry? entry = ReadEntry(path, out bool hasChildren);
        if (entry is not null)
        {
            return _converter.ToNode(entry.UntypedValue);
        }

        return hasChildren ? SnapshotSubtree(path).ToJson(_converter) : null;
    }

    /// <summary>Gets whether a value is stored at the path or below it.</summary>
    /// <param name="path">The dotted path.</param>
    /// <returns>Whether anything is stored there.</returns>
    public bool Exists(string path) => Exists(ParseKey(path));

    /// <summary>Gets whether a value is stored at the path or below it.</summary>
    /// <param name="path">The path.</param>
    /// <returns>Whether anything is stored there.</returns>
    public bool Exists(StatePath path)
    {
        StateEntry? entry = ReadEntry(path, out bool hasChildren);
        return entry is not null || hasChildren;
    }

    /// <summary>Lists the stored paths equal to or below a prefix, in path order.</summary>
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

    /// <summary>Lists the stored paths equal to or below a prefix, in path order.</summary>
    /// <param name="prefix">The dotted prefix.</param>
    /// <returns>The paths that hold values.</returns>
    public IReadOnlyList<StatePath> List(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        return List(prefix.Length == 0 ? StatePath.Root : StatePath.Parse(prefix));
    }

    /// <summary>Reads the entry at a path without locking, never observing a commit in progress.</summary>
    private StateEntry? ReadEntry(StatePath path, out bool hasChildren)
    {
        RefreshIfDerived(path);
        TrackRead(path);
        string key = path.Value;
        SpinWait spinner = default;
        while (true)
        {
            long before = Volatile.Read(ref _commitSequence);
            bool ownCommit = false;
            if ((before & 1) != 0)
            {
                ownCommit = GraphLock.IsHeldByCurrentThread;
                if (!ownCommit)
                {
                    if (spinner.NextSpinWillYield)
                    {
                        // Wait for the writer (a batch may run for a while) instead of burning the core.
                        GraphLock.WaitForRelease();

                        spinner.Reset();
                    }
                    else
                    {
                        spinner.SpinOnce(sleep1Threshold: -1);
                    }

                    continue;
                }
            }

            TableNode? node = _table.Find(key);
            StateEntry? entry = node is null ? null : Volatile.Read(ref node.Entry);
            hasChildren = entry is null && node is not null && (node.Parent is not null || _table.Count > 0);
            if (ownCommit || Volatile.Read(ref _commitSequence) == before)
            {
                // An expired entry reads as missing even before the expiry timer has deleted it.
                return entry is not null && entry.Metadata.ExpiresAt is not null && IsExpired(entry) ? null : entry;
            }
        }
    }

    private SubtreeSnapshot SnapshotSubtree(StatePath path)
    {
        var leaves = new List<KeyValuePair<StatePath, StateEntry>>();
        using (GraphLock.Enter())
        {
            RefreshDerivedWithin(path);
            TrackRead(path);
            TableNode? node = _table.Find(path.Value);
            if (node is not null)
            {
                EntryTable.CollectLeaves(node, leaves);
            }
        }

        return new SubtreeSnapshot(path, leaves);
    }
}
