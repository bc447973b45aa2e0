using System.Diagnostics;

namespace ReactiveStore;

/// <summary>Makes a persisted commit visible, all at once: its values in the table, its version, its changes in the
/// change log, its events in the dispatcher's queue (in commit order), its expiry schedules, and the path signals of
/// what it changed.</summary>
/// <remarks>Runs on the thread holding the store's commit turn, inside a table publication (readers wait for it, so none
/// sees half a commit). When some computation has read the store, the caller also holds the engine lock, so the bumps
/// land together with the values.</remarks>
internal sealed class CommitPublisher
{
    private readonly EntryTable _table;
    private readonly PathSignals _signals;
    private readonly ExpiryScheduler _expiry;
    private readonly SubscriptionIndex _index;
    private readonly EventDispatcher _dispatcher;
    private readonly ValueConverter _converter;
    private readonly ChangeLog _changeLog;
    private readonly Action<TableNode, StateEntry?, StateEntry?> _onChanged;
    private long _version;

    public CommitPublisher(EntryTable table, PathSignals signals, ExpiryScheduler expiry, SubscriptionIndex index, EventDispatcher dispatcher, ValueConverter converter, ChangeLog changeLog)
    {
        _changeLog = changeLog;
        _table = table;
        _signals = signals;
        _expiry = expiry;
        _index = index;
        _dispatcher = dispatcher;
        _converter = converter;
        _onChanged = OnChanged;
    }

    /// <summary>Gets the store version of the last published write (0 before the first).</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>Publishes <paramref name="commit"/>.</summary>
    public void Publish(Commit commit)
    {
        using EntryTable.Publication publication = _table.BeginPublish();
        commit.Publish(_onChanged);
        long timestamp = Stopwatch.GetTimestamp(); // when the commit became visible
        _changeLog.Append(commit, timestamp);
        long indexVersion = _index.Version;
        foreach (PendingEvent pending in commit.Events)
        {
            // Subscriptions register under the structure lock too, so these matches and their start versions agree.
            SubscriptionMatch[] matches = MatchesOf(pending, indexVersion);
            if (matches.Length != 0)
            {
                _dispatcher.Enqueue(new StateEvent(pending, timestamp, _converter, matches));
            }
        }

        Debug.Assert(commit.Version >= _version, "Versions only grow.");
        Volatile.Write(ref _version, commit.Version);
    }

    /// <summary>The subscriptions an event reaches, in delivery order: cached on the table node until a subscription is
    /// added or removed, so a steady stream of writes walks the subscription trie once, not once per write.</summary>
    private SubscriptionMatch[] MatchesOf(in PendingEvent pending, long indexVersion)
    {
        TableNode? node = pending.Node;
        if (node is null)
        {
            return _index.MatchInDeliveryOrder(pending.Path);
        }

        SubscriptionMatch[]? cached = node.Matches;
        if (cached is null || node.MatchesVersion != indexVersion)
        {
            cached = _index.MatchInDeliveryOrder(pending.Path);
            node.Matches = cached;
            node.MatchesVersion = indexVersion;
        }

        return cached;
    }

    /// <summary>Sets the version when the store is opened (nothing is published yet).</summary>
    public void Restore(long version) => Volatile.Write(ref _version, version);

    private void OnChanged(TableNode node, StateEntry? old, StateEntry? current)
    {
        if (_signals.IsActive)
        {
            _signals.RecordChanged(node.Path);
        }

        if (old?.Metadata.ExpiresAt is not null)
        {
            _expiry.Unschedule(node.Path);
        }

        if (current is not null)
        {
            current.Metadata.TrimHistoryChain();
            if (current.Metadata.ExpiresAt is { } expiresAt)
            {
                _expiry.Schedule(node.Path, expiresAt);
            }
        }
    }
}
