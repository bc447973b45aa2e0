using System.Diagnostics;

namespace ReactiveStore;

/// <summary>Deletes entries when their <see cref="EntryMetadata.ExpiresAt"/> passes, with a <see cref="StateEventType.Delete"/>
/// event, even when nobody reads them. One timer from the store's <see cref="TimeProvider"/>, armed for the earliest expiry.</summary>
/// <remarks>
/// <para>Thread-safe (one private lock, never held while calling out). A key has at most one live schedule: a rewrite or
/// delete replaces or removes it, and the queue is compacted when stale items outnumber live ones, so refreshing a key's
/// TTL a million times keeps one schedule, not a million.</para>
/// <para>Timers cannot be armed further than about 49.7 days ahead; a later expiry arms the timer for the longest span
/// it accepts and re-arms when it fires.</para>
/// </remarks>
internal sealed class ExpiryScheduler(TimeProvider timeProvider, Action expireDue) : IDisposable
{
    /// <summary>The longest delay a timer is armed for (below the ~49.7-day limit of the underlying timers).</summary>
    internal static readonly TimeSpan MaxTimerDelay = TimeSpan.FromDays(1);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, DateTimeOffset> _live = new(StringComparer.Ordinal);
    private readonly PriorityQueue<StatePath, DateTimeOffset> _queue = new();
    private ITimer? _timer;
    private DateTimeOffset _armedFor = DateTimeOffset.MaxValue;
    private bool _disposed;

    /// <summary>Gets how many keys have a live schedule.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _live.Count;
            }
        }
    }

    /// <summary>Gets how many items the queue holds, stale ones included (for tests of the compaction).</summary>
    internal int QueueLength
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Schedules (or reschedules) <paramref name="path"/> to expire at <paramref name="expiresAt"/>.</summary>
    public void Schedule(StatePath path, DateTimeOffset expiresAt)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _live[path.Value] = expiresAt;
            _queue.Enqueue(path, expiresAt);
            CompactIfStale();
            if (expiresAt < _armedFor)
            {
                Arm(expiresAt);
            }
        }
    }

    /// <summary>Forgets the schedule of <paramref name="path"/> (its entry was rewritten without expiry, or removed).</summary>
    public void Unschedule(StatePath path)
    {
        lock (_lock)
        {
            if (_live.Remove(path.Value))
            {
                CompactIfStale();
            }
        }
    }

    /// <summary>Takes every path whose live schedule is due at <paramref name="now"/> (they stay scheduled until their
    /// entries are deleted; <see cref="Unschedule"/> is called then).</summary>
    public List<KeyValuePair<StatePath, DateTimeOffset>> TakeDue(DateTimeOffset now)
    {
        var due = new List<KeyValuePair<StatePath, DateTimeOffset>>();
        lock (_lock)
        {
            while (_queue.TryPeek(out StatePath path, out DateTimeOffset at) && at <= now)
            {
                _queue.Dequeue();
                if (_live.TryGetValue(path.Value, out DateTimeOffset live) && live == at)
                {
                    due.Add(new KeyValuePair<StatePath, DateTimeOffset>(path, at));
                }
            }
        }

        return due;
    }

    /// <summary>Puts back schedules whose deletion failed (storage was unavailable), to retry after <paramref name="retryAt"/>.</summary>
    public void Retry(List<KeyValuePair<StatePath, DateTimeOffset>> failed, DateTimeOffset retryAt)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            foreach (KeyValuePair<StatePath, DateTimeOffset> item in failed)
            {
                if (_live.TryGetValue(item.Key.Value, out DateTimeOffset live) && live == item.Value)
                {
                    _queue.Enqueue(item.Key, item.Value);
                }
            }

            Arm(retryAt);
        }
    }

    /// <summary>Re-arms the timer for the earliest remaining expiry.</summary>
    public void Rearm()
    {
        lock (_lock)
        {
            _armedFor = DateTimeOffset.MaxValue;
            while (_queue.TryPeek(out StatePath path, out DateTimeOffset at))
            {
                if (_live.TryGetValue(path.Value, out DateTimeOffset live) && live == at)
                {
                    Arm(at);
                    return;
                }

                _queue.Dequeue();
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _timer?.Dispose();
            _timer = null;
        }
    }

    private void CompactIfStale()
    {
        if (_queue.Count <= 64 || _queue.Count <= 2 * _live.Count)
        {
            return;
        }

        _queue.Clear();
        foreach (KeyValuePair<string, DateTimeOffset> item in _live)
        {
            _queue.Enqueue(StatePath.Parse(item.Key), item.Value);
        }
    }

    private void Arm(DateTimeOffset at)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread, "Arm runs under the scheduler's lock.");
        if (_disposed)
        {
            return;
        }

        _armedFor = at;
        TimeSpan delay = at - timeProvider.GetUtcNow();
        if (delay < TimeSpan.Zero)
        {
            delay = TimeSpan.Zero;
        }
        else if (delay > MaxTimerDelay)
        {
            // Fire early and re-arm: nothing is due then, and the next arm is closer.
            delay = MaxTimerDelay;
        }

        if (_timer is null)
        {
            _timer = timeProvider.CreateTimer(static state => ((Action)state!)(), expireDue, delay, Timeout.InfiniteTimeSpan);
        }
        else
        {
            _timer.Change(delay, Timeout.InfiniteTimeSpan);
        }
    }
}
