using System.Text;
using ReactiveStore.Storage;

namespace ReactiveStore.Tests.Storage;

/// <summary>Builders and helpers shared by the storage tests.</summary>
internal static class StorageTestSupport
{
    public static readonly DateTimeOffset T0 = new(2025, 3, 14, 15, 9, 26, TimeSpan.FromHours(2));

    public static StoredEntry Entry(string json, long version = 1) =>
        new(Encoding.UTF8.GetBytes(json), new EntryMetadata(version, T0, T0.AddMinutes(version)));

    public static StorageWrite Set(string key, string json, long version = 1) => new(key, Entry(json, version));

    public static StorageWrite Delete(string key) => new(key, null);

    public static string Json(StoredEntry entry) => Encoding.UTF8.GetString(entry.ValueJson.Span);

    public static void Write(this IStateStorage storage, params StorageWrite[] writes) => storage.Write(writes);

    public static string NewTempDirectory()
    {
        string path = Path.Combine(Path.GetTempPath(), "rs-storage-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    public static void DeleteDirectory(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>A driver wrapper that counts calls and can be told to fail (a failure injector around a real driver, for the hybrid and caching tests).</summary>
internal sealed class ProbeStorage(IStateStorage inner) : IStateStorage
{
    public ProbeStorage()
        : this(new InMemoryStorage())
    {
    }

    public IStateStorage Inner { get; } = inner;

    public int WriteCalls { get; private set; }

    public int ReadCalls { get; private set; }

    public List<IReadOnlyList<StorageWrite>> Batches { get; } = [];

    public bool FailWrites { get; set; }

    /// <summary>When failing, how many writes of the batch reach the inner driver first (a driver that is not atomic across keys).</summary>
    public int AppliedBeforeFailing { get; set; }

    /// <summary>Runs at the start of every Write, on the writing thread (to hold a write in flight).</summary>
    public Action? BeforeWrite { get; set; }

    public bool IsDisposed => DisposeCount > 0;

    public int DisposeCount { get; private set; }

    public IEnumerable<KeyValuePair<string, StoredEntry>> ReadAll()
    {
        ReadCalls++;
        return Inner.ReadAll();
    }

    public bool TryGet(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out StoredEntry? entry)
    {
        ReadCalls++;
        return Inner.TryGet(key, out entry);
    }

    public IReadOnlyList<string> Keys(string prefix)
    {
        ReadCalls++;
        return Inner.Keys(prefix);
    }

    public void Write(IReadOnlyList<StorageWrite> writes)
    {
        WriteCalls++;
        BeforeWrite?.Invoke();
        if (FailWrites)
        {
            if (AppliedBeforeFailing > 0)
            {
                Inner.Write([.. writes.Take(AppliedBeforeFailing)]);
            }

            throw new IOException("The probe was told to fail.");
        }

        Batches.Add([.. writes]);
        Inner.Write(writes);
    }

    public void Flush() => Inner.Flush();

    public void Dispose()
    {
        DisposeCount++;
        Inner.Dispose();
    }
}

/// <summary>A clock whose timers fire only when the test advances it (Microsoft.Extensions.TimeProvider.Testing is not available).</summary>
internal sealed class FakeTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<FakeTimer> _timers = [];
    private DateTimeOffset _now = start;

    public FakeTimeProvider()
        : this(StorageTestSupport.T0)
    {
    }

    public int ActiveTimers
    {
        get
        {
            lock (_lock)
            {
                return _timers.Count;
            }
        }
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new FakeTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the clock, firing every timer that comes due on the way, in time order, on the calling thread.</summary>
    public void Advance(TimeSpan by)
    {
        DateTimeOffset target;
        lock (_lock)
        {
            target = _now + by;
        }

        while (true)
        {
            FakeTimer? next = null;
            lock (_lock)
            {
                foreach (FakeTimer timer in _timers)
                {
                    if (timer.Due <= target && (next is null || timer.Due < next.Due))
                    {
                        next = timer;
                    }
                }

                if (next is null)
                {
                    _now = target;
                    return;
                }

                _now = next.Due;
                if (next.Period > TimeSpan.Zero)
                {
                    next.Due += next.Period;
                }
                else
                {
                    _timers.Remove(next);
                }
            }

            next.Fire();
        }
    }

    private sealed class FakeTimer(FakeTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset Due { get; set; }

        public TimeSpan Period { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._lock)
            {
                owner._timers.Remove(this);
                if (dueTime == Timeout.InfiniteTimeSpan)
                {
                    return true;
                }

                Due = owner._now + dueTime;
                Period = period == Timeout.InfiniteTimeSpan ? TimeSpan.Zero : period;
                owner._timers.Add(this);
                return true;
            }
        }

        public void Fire() => callback(state);

        public void Dispose()
        {
            lock (owner._lock)
            {
                owner._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
