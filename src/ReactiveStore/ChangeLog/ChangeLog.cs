using System.Diagnostics;
using System.Text.Json;
using ReactiveStore.Storage;

namespace ReactiveStore;

/// <summary>A store's change log: every committed change, in commit order, from a version onward, with no gap and no
/// duplicate — and an explicit <see cref="ChangeLogCompactedException"/> when that history is gone.</summary>
/// <remarks>
/// <para>Three places, one log. Recent changes stay in an in-memory ring (the log of an in-memory store; for a durable
/// one, the fast path of a resumed watch). A driver that implements <see cref="IChangeLogStorage"/> keeps the log in the
/// same transaction as the state, so it survives restarts (and the store's version continues from it). A journal
/// (<see cref="IChangeJournal"/>) gets every change too, appended before the group persists and taken back if it fails.</para>
/// <para>Threading: the commit pipeline builds and persists records while it holds the store's turn, and appends to the
/// ring while it publishes (under the table's structure lock, like subscription registration, so a resumed watch's
/// history and its live events meet without a gap). Readers copy from the ring under a short private lock; reads from a
/// durable driver run under the store's turn (drivers are single-threaded).</para>
/// </remarks>
internal sealed class ChangeLog
{
    private const int InitialRingSize = 64;
    private const int TrimEveryGroups = 256;

    private readonly Lock _ringLock = new();
    private readonly ChangeLogRetention _retention;
    private readonly JsonSerializerOptions _writeOptions;
    private readonly IChangeLogStorage? _durable;
    private readonly IChangeJournal? _journal;
    private readonly TimeProvider _timeProvider;
    private LoggedChange[] _ring;
    private int _ringStart;
    private int _ringCount;
    private long _durableOldest;
    private int _groupsSinceTrim;

    public ChangeLog(ChangeLogRetention retention, JsonSerializerOptions writeOptions, IStateStorage? storage, IChangeJournal? journal, TimeProvider timeProvider)
    {
        _retention = retention;
        _ring = new LoggedChange[Math.Min(InitialRingSize, retention.MaxChanges)];
        _writeOptions = writeOptions;
        _durable = storage as IChangeLogStorage;
        _journal = journal;
        _timeProvider = timeProvider;
    }

    /// <summary>Gets whether commit groups must be turned into records before they persist (a durable log or a journal).</summary>
    public bool RecordsBeforePersisting => _durable is not null || _journal is not null;

    /// <summary>Gets the driver that keeps the log durably, if any.</summary>
    public IChangeLogStorage? Durable => _durable;

    /// <summary>Reads where the durable log and the journal stand when the store opens, drops a journal tail that storage
    /// never committed (a crash between the two), and returns the version the store continues from.</summary>
    public long Open()
    {
        long latest = 0;
        if (_durable?.GetChangeLogBounds() is { } bounds)
        {
            _durableOldest = bounds.Oldest;
            latest = bounds.Latest;
        }

        if (_journal is not null)
        {
            if (_durable is not null && _journal.LastVersion > latest)
            {
                _journal.TruncateAfter(latest);
            }

            latest = Math.Max(latest, _journal.LastVersion);
        }

        return latest;
    }

    /// <summary>Turns a staged commit's changes into records (in version order) for the durable log and the journal.</summary>
    public List<ChangeRecord> BuildRecords(Commit commit)
    {
        var records = new List<ChangeRecord>(commit.Events.Count);
        foreach (PendingEvent change in commit.Events)
        {
            records.Add(ToRecord(change));
        }

        return records;
    }

    /// <summary>Appends a group's records to the journal; returns the mark to take them back, or -1 without a journal.</summary>
    public long AppendToJournal(List<ChangeRecord> records) => _journal is null || records.Count == 0 ? -1 : _journal.Append(records);

    /// <summary>Takes back a journal append whose group failed to persist.</summary>
    public void TakeBackJournal(long mark)
    {
        if (mark >= 0)
        {
            _journal!.TruncateTo(mark);
        }
    }

    /// <summary>Records a published commit's changes in the ring. The caller holds the table's structure lock.</summary>
    /// <param name="commit">The commit being published.</param>
    /// <param name="timestamp">The <see cref="Stopwatch"/> reading when it became visible.</param>
    public void Append(Commit commit, long timestamp)
    {
        List<PendingEvent> changes = commit.Events;
        if (changes.Count == 0)
        {
            return;
        }

        lock (_ringLock)
        {
            foreach (PendingEvent change in changes)
            {
                AppendToRing(new LoggedChange(change, timestamp));
            }

            DropExpiredFromRing();
        }
    }

    /// <summary>Trims the durable log to the retention every so often; the caller holds the store's turn.</summary>
    public void TrimDurableIfDue(long latestVersion)
    {
        if (_durable is null || ++_groupsSinceTrim < TrimEveryGroups)
        {
            return;
        }

        _groupsSinceTrim = 0;
        long keepFrom = Math.Max(1, latestVersion - _retention.MaxChanges + 1);
        DateTimeOffset? olderThan = _retention.MaxAge is { } age ? _timeProvider.GetUtcNow() - age : null;
        _durable.TrimChangeLog(keepFrom, olderThan);
        if (_durable.GetChangeLogBounds() is { } bounds)
        {
            Volatile.Write(ref _durableOldest, bounds.Oldest);
        }
    }

    /// <summary>Reads the changes after <paramref name="afterVersion"/> up to <paramref name="untilVersion"/>, in order.</summary>
    /// <param name="afterVersion">The last version the caller has.</param>
    /// <param name="untilVersion">The last version to return (the store's version when the reader subscribed).</param>
    /// <param name="readDurable">Runs a read of the durable driver under the store's turn.</param>
    /// <returns>The changes; every version in the range that the store committed is there.</returns>
    /// <exception cref="ChangeLogCompactedException">Part of the range is no longer retained, or the range lies beyond the store.</exception>
    public List<ChangeRecord> Read(long afterVersion, long untilVersion, Func<Func<List<ChangeRecord>>, List<ChangeRecord>> readDurable)
    {
        var result = new List<ChangeRecord>();
        if (afterVersion > untilVersion)
        {
            throw new ChangeLogCompactedException(afterVersion, OldestRetained, untilVersion);
        }

        if (afterVersion == untilVersion)
        {
            return result;
        }

        lock (_ringLock)
        {
            long ringOldest = _ringCount == 0 ? long.MaxValue : _ring[_ringStart].Change.Version;
            if (ringOldest <= afterVersion + 1)
            {
                for (int i = 0; i < _ringCount; i++)
                {
                    ref LoggedChange logged = ref _ring[(_ringStart + i) % _ring.Length];
                    long version = logged.Change.Version;
                    if (version > afterVersion && version <= untilVersion)
                    {
                        result.Add(ToRecord(logged.Change, logged.Timestamp));
                    }
                }

                return result;
            }
        }

        if (_durable is not null)
        {
            List<ChangeRecord> stored = readDurable(() =>
            {
                var read = new List<ChangeRecord>();
                long after = afterVersion;
                while (after < untilVersion)
                {
                    IReadOnlyList<ChangeRecord> page = _durable.ReadChanges(after, 1024);
                    if (page.Count == 0)
                    {
                        break;
                    }

                    foreach (ChangeRecord record in page)
                    {
                        if (record.Version > untilVersion)
                        {
                            return read;
                        }

                        read.Add(record);
                        after = record.Version;
                    }
                }

                return read;
            });
            if (stored.Count > 0 && stored[0].Version == afterVersion + 1)
            {
                return stored;
            }
        }

        throw new ChangeLogCompactedException(afterVersion, OldestRetained, untilVersion);
    }

    /// <summary>Gets the oldest version the log still holds (0 when it holds none).</summary>
    public long OldestRetained
    {
        get
        {
            long durable = Volatile.Read(ref _durableOldest);
            lock (_ringLock)
            {
                long ring = _ringCount == 0 ? 0 : _ring[_ringStart].Change.Version;
                return durable != 0 && (ring == 0 || durable < ring) ? durable : ring;
            }
        }
    }

    /// <summary>Gets the most recent changes of <paramref name="path"/> still in memory, newest first (for Explain).</summary>
    public List<ChangeRecord> RecentChangesOf(StatePath path, int max)
    {
        var result = new List<ChangeRecord>();
        lock (_ringLock)
        {
            for (int i = _ringCount - 1; i >= 0 && result.Count < max; i--)
            {
                ref LoggedChange logged = ref _ring[(_ringStart + i) % _ring.Length];
                if (logged.Change.Path == path || (logged.Change.Type == StateEventType.Delete && logged.Change.Cause != ChangeCause.Expiry && logged.Change.Path.IsAncestorOf(path)))
                {
                    result.Add(ToRecord(logged.Change, logged.Timestamp));
                }
            }
        }

        return result;
    }

    private ChangeRecord ToRecord(in PendingEvent change, long stopwatchTimestamp = 0) =>
        new(change.Version, change.Type, change.Path, change.Type == StateEventType.Set ? change.Entry : null, change.Time,
            new EventOrigin(Environment.ProcessId, change.ThreadId, null), change.Cause, change.Type == StateEventType.Set ? change.Json : null, _writeOptions)
        {
            Previous = change.Previous,
            StopwatchTimestamp = stopwatchTimestamp,
        };

    private void AppendToRing(in LoggedChange change)
    {
        int capacity = _retention.MaxChanges;
        if (_ringCount == _ring.Length && _ring.Length < capacity)
        {
            var grown = new LoggedChange[Math.Min(capacity, _ring.Length * 2)];
            for (int i = 0; i < _ringCount; i++)
            {
                grown[i] = _ring[(_ringStart + i) % _ring.Length];
            }

            _ring = grown;
            _ringStart = 0;
        }

        if (_ringCount >= capacity || _ringCount == _ring.Length)
        {
            // Full at the retention: the oldest change leaves.
            _ring[_ringStart] = default;
            _ringStart = (_ringStart + 1) % _ring.Length;
            _ringCount--;
        }

        _ring[(_ringStart + _ringCount) % _ring.Length] = change;
        _ringCount++;
    }

    private void DropExpiredFromRing()
    {
        if (_retention.MaxAge is not { } age || _ringCount <= 1)
        {
            return;
        }

        DateTimeOffset oldestKept = _timeProvider.GetUtcNow() - age;
        while (_ringCount > 1 && _ring[_ringStart].Change.Time < oldestKept)
        {
            _ring[_ringStart] = default;
            _ringStart = (_ringStart + 1) % _ring.Length;
            _ringCount--;
        }
    }

    /// <summary>One change as the ring keeps it: the commit's own record of it (entries, not JSON) and when it became visible.</summary>
    private readonly record struct LoggedChange(PendingEvent Change, long Timestamp);
}
