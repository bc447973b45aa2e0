using System.Collections;
using System.Diagnostics;
using System.Text.Json;

namespace ReactiveStore;

/// <summary>Applies writes to the open commit: first the store's rules, which need the state as the commit sees it
/// (derived paths are read-only, an expired value is gone, compare-and-set, an equal value writes nothing), then the
/// composed write path (keys, locks, metadata, hashing, storage, events).</summary>
/// <remarks>Runs only on the thread holding the store's commit turn, inside <see cref="ICommitOperation.Stage"/>. It holds
/// the decorator chain by its outer concrete type: a generic interface call per write would cost a virtual-dispatch helper.</remarks>
internal sealed class WriteApplier(
    EntryTable table,
    EventingWriteOrchestrator orchestrator,
    DerivationRegistry derivations,
    TimeProvider timeProvider,
    ValueConverter converter)
{
    /// <summary>Stages a value write; returns the resulting entry (the current one when the value was equal).</summary>
    public StateEntry<T> Set<T>(
        Commit commit,
        StatePath path,
        T value,
        SetOptions? options,
        byte[]? json,
        int threadId,
        ChangeCause cause,
        IEqualityComparer<T>? typedComparer,
        out bool changed,
        out StateEntry? previous)
    {
        bool derived = cause == ChangeCause.Derived;
        if (!derived)
        {
            derivations.ThrowIfDerived(path);
        }

        TableNode? node = table.Find(path.Value);
        StateEntry? current = node?.Current;
        if (current is CorruptStateEntry)
        {
            current = null; // unreadable: the write replaces it as if the key were new
        }
        else if (current is not null && IsExpired(current))
        {
            // An expired value is gone: its Delete event comes first, then this write creates the key afresh.
            Expire(commit, node!, current, threadId);
            current = null;
        }

        if (options?.ExpectedVersion is { } expected && expected != (current?.Metadata.Version ?? 0))
        {
            throw new VersionConflictException(path, expected, current?.Metadata.Version ?? 0);
        }

        previous = current;
        if (current is not null && AreEqual(current, value, options?.Comparer, typedComparer))
        {
            changed = false;
            return current as StateEntry<T> ?? new StateEntry<T>(converter.Convert<T>(path, current.UntypedValue)!, current.Metadata);
        }

        node ??= table.GetOrCreate(path);
        var operation = new WriteOperation<T>(path, value, options, current, timeProvider.GetUtcNow(), cause, json, threadId, node);
        StateEntry<T> entry = orchestrator.Set(commit, operation);
        commit.Stage(node, entry);
        changed = true;
        return entry;
    }

    /// <summary>Stages the removal of the value at <paramref name="path"/> and of everything below it.</summary>
    /// <returns>Whether anything was removed.</returns>
    public bool Delete(Commit commit, StatePath path, int threadId, ChangeCause cause)
    {
        bool derived = cause == ChangeCause.Derived;
        if (!derived)
        {
            derivations.ThrowIfDerivedWithin(path);
        }

        TableNode? node = table.Find(path.Value);
        if (node is null)
        {
            return false;
        }

        var removedNodes = new List<TableNode>();
        var removed = new List<KeyValuePair<StatePath, StateEntry>>();
        CollectCurrent(node, removedNodes, removed);
        if (removed.Count == 0)
        {
            return false;
        }

        StateEntry? own = node.Current;
        if (own is not null && IsExpired(own))
        {
            own = null;
        }

        // The event's previous value: the path's own value when that was all, else the removed subtree.
        SubtreeSnapshot? subtree = removed.Count == 1 && own is not null ? null : new SubtreeSnapshot(path, LiveOnly(removed));
        orchestrator.Delete(commit, new DeleteOperation(path, own, removed, subtree, cause, timeProvider.GetUtcNow(), threadId, node));
        foreach (TableNode removedNode in removedNodes)
        {
            commit.Stage(removedNode, null);
        }

        return true;
    }

    /// <summary>Stages a ping: an event, no change.</summary>
    public void Ping(Commit commit, StatePath path, object? payload, int threadId, ChangeCause cause) =>
        commit.AddEvent(new PendingEvent(StateEventType.Ping, path, commit.NextVersion(), null, null, null, payload, threadId, null, null, timeProvider.GetUtcNow(), cause));

    /// <summary>Stages the expiry of every due value whose schedule still holds; returns how many expired.</summary>
    public int ExpireDue(Commit commit, List<KeyValuePair<StatePath, DateTimeOffset>> due)
    {
        int expired = 0;
        foreach (KeyValuePair<StatePath, DateTimeOffset> item in due)
        {
            TableNode? node = table.Find(item.Key.Value);
            StateEntry? current = node?.Current;
            if (current is not null && current.Metadata.ExpiresAt == item.Value && IsExpired(current))
            {
                Expire(commit, node!, current, Environment.CurrentManagedThreadId);
                expired++;
            }
        }

        return expired;
    }

    /// <summary>Gets whether a live value is stored at <paramref name="path"/> as the open commit sees it.</summary>
    public bool HasCurrentValue(StatePath path) =>
        table.Find(path.Value)?.Current is { } current && current is not CorruptStateEntry && !IsExpired(current);

    /// <summary>Gets whether <paramref name="entry"/> has expired by the store's clock.</summary>
    public bool IsExpired(StateEntry entry) => entry.Metadata.ExpiresAt is { } expiresAt && expiresAt <= timeProvider.GetUtcNow();

    /// <summary>Stages the removal of one expired value (only the key's own value: its descendants are keys of their own).</summary>
    private void Expire(Commit commit, TableNode node, StateEntry expired, int threadId)
    {
        var removed = new List<KeyValuePair<StatePath, StateEntry>>(1) { new(node.Path, expired) };
        orchestrator.Delete(commit, new DeleteOperation(node.Path, expired, removed, null, ChangeCause.Expiry, timeProvider.GetUtcNow(), threadId, node));
        commit.Stage(node, null);
    }

    private List<KeyValuePair<StatePath, StateEntry>> LiveOnly(List<KeyValuePair<StatePath, StateEntry>> entries)
    {
        List<KeyValuePair<StatePath, StateEntry>>? live = null;
        for (int i = 0; i < entries.Count; i++)
        {
            if (IsExpired(entries[i].Value) || entries[i].Value is CorruptStateEntry)
            {
                live ??= entries[..i];
            }
            else
            {
                live?.Add(entries[i]);
            }
        }

        return live ?? entries;
    }

    private static void CollectCurrent(TableNode node, List<TableNode> nodes, List<KeyValuePair<StatePath, StateEntry>> entries)
    {
        var stack = new Stack<TableNode>();
        stack.Push(node);
        while (stack.Count > 0)
        {
            TableNode current = stack.Pop();
            if (current.Current is { } entry)
            {
                nodes.Add(current);
                entries.Add(new KeyValuePair<StatePath, StateEntry>(current.Path, entry));
            }

            TableNode[] children = current.ChildrenInOrder();
            for (int i = children.Length - 1; i >= 0; i--)
            {
                stack.Push(children[i]);
            }
        }
    }

    private bool AreEqual<T>(StateEntry current, T value, IEqualityComparer? comparer, IEqualityComparer<T>? typedComparer)
    {
        if (current is StateEntry<T> typed)
        {
            if (typedComparer is not null)
            {
                return typedComparer.Equals(typed.Value, value);
            }

            if (comparer is null)
            {
                return ExactEquals(typed.Value, value);
            }

            if (comparer is IEqualityComparer<T> genericComparer)
            {
                return genericComparer.Equals(typed.Value, value);
            }
        }

        if (comparer is null && current is StateEntry<JsonElement> loaded && value is not JsonElement)
        {
            // A value loaded from storage is JSON until it is rewritten: compare it as JSON.
            return JsonElement.DeepEquals(loaded.Value, JsonSerializer.SerializeToElement(value, converter.Options));
        }

        return comparer is not null ? comparer.Equals(current.UntypedValue, value) : Equals(current.UntypedValue, value);
    }

    /// <summary>Equality that, unlike the default, tells apart values that persist differently: a <see cref="DateTime"/>
    /// of another <see cref="DateTime.Kind"/>, a <see cref="DateTimeOffset"/> with another offset.</summary>
    private static bool ExactEquals<T>(T a, T b)
    {
        if (typeof(T) == typeof(DateTime))
        {
            var x = (DateTime)(object)a!;
            var y = (DateTime)(object)b!;
            return x.Ticks == y.Ticks && x.Kind == y.Kind;
        }

        if (typeof(T) == typeof(DateTimeOffset))
        {
            return ((DateTimeOffset)(object)a!).EqualsExact((DateTimeOffset)(object)b!);
        }

        if (typeof(T) == typeof(DateTime?) || typeof(T) == typeof(DateTimeOffset?) || typeof(T) == typeof(object))
        {
            return (a, b) switch
            {
                (DateTime x, DateTime y) => x.Ticks == y.Ticks && x.Kind == y.Kind,
                (DateTimeOffset x, DateTimeOffset y) => x.EqualsExact(y),
                _ => EqualityComparer<T>.Default.Equals(a, b),
            };
        }

        return EqualityComparer<T>.Default.Equals(a, b);
    }
}
