namespace ReactiveStore;

/// <summary>Deletes entries when their <see cref="EntryMetadata.ExpiresAt"/> passes, with a <see cref="StateEventType.Delete"/>
/// event, even when nobody reads them. One timer from the store's <see cref="TimeProvider"/>, armed for the earliest expiry.</summary>
/// <remarks>Schedule and the due check run under the graph lock. A stale schedule (the entry was rewritten or deleted since)
/// is recognized by comparing the expiry time and skipped.</remarks>
internal sealed class ExpiryScheduler(TimeProvider timeProvider, Action expireDue) : IDisposable
{
    private readonly PriorityQueue<StatePath, DateTimeOffset> _due = new();
    private ITimer? _timer;
    private DateTimeOffset _armedFor = DateTimeOffset.MaxValue;
    private bool _disposed;

    public int Count => _due.Count;

    /// <summary>Remembers that <paramref name="path"/> expires at <paramref name="expiresAt"/>. Caller holds the graph lock.</summary>
    public void Schedule(StatePath path, DateTimeOffset expiresAt)
    {
        if (_disposed)
        {
            return;
        }

        _due.Enqueue(path, expiresAt);
        if (expiresAt < _armedFor)
        {
            Arm(expiresAt);
        }
    }

    /// <summary>Takes the next path whose scheduled expiry is at or before <paramref name="now"/>. Caller holds the graph lock.</summary>
    public bool TryTakeDue(DateTimeOffset now, out StatePath path, out DateTimeOffset expiresAt)
    {
        if (_due.TryPeek(out path, out expiresAt) && expiresAt <= now)
        {
            _due.Dequeue();
            return true;
        }

        return false;
    }

    /// <summary>Re-arms the timer for the earliest remaining expiry. Caller holds the graph lock.</summary>
    public void Rearm()
    {
        _armedFor = DateTimeOffset.MaxValue;
        if (!_disposed && _due.TryPeek(out _, out DateTimeOffset next))
        {
            Arm(next);
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _timer?.Dispose();
        _timer = null;
    }

    private void Arm(DateTimeOffset at)
    {
        _armedFor = at;
        TimeSpan delay = at - timeProvider.GetUtcNow();
        if (delay < TimeSpan.Zero)
        {
            delay = TimeSpan.Zero;
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
