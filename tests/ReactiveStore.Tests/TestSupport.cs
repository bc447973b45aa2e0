using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ReactiveStore.Tests;

/// <summary>Helpers shared by the store tests.</summary>
internal static class TestSupport
{
    public static StateStore Inline(TimeProvider? time = null) =>
        new(new StateStoreOptions { DispatchMode = DispatchMode.Inline, TimeProvider = time ?? TimeProvider.System });

    public static StateStore Background(RetryPolicy? retry = null, TimeSpan? callbackTimeout = null, ILoggerFactory? loggerFactory = null) =>
        new(new StateStoreOptions
        {
            DispatchMode = DispatchMode.Background,
            RetryPolicy = retry ?? new RetryPolicy { MaxAttempts = 3, BaseDelay = TimeSpan.FromMilliseconds(1) },
            CallbackTimeout = callbackTimeout ?? TimeSpan.FromSeconds(30),
            LoggerFactory = loggerFactory,
        });

    public static async Task<T> WithTimeout<T>(this Task<T> task, int seconds = 10) => await task.WaitAsync(TimeSpan.FromSeconds(seconds));

    public static async Task WithTimeout(this Task task, int seconds = 10) => await task.WaitAsync(TimeSpan.FromSeconds(seconds));
}

/// <summary>A clock the test moves by hand; timers created from it fire (on the advancing thread) when it passes their due time.</summary>
internal sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_timers)
        {
            return _now;
        }
    }

    /// <summary>Moves the clock without firing the timers that become due (as if their thread were late).</summary>
    public void SetWithoutFiring(DateTimeOffset now)
    {
        lock (_timers)
        {
            _now = now;
        }
    }

    public void Advance(TimeSpan by)
    {
        DateTimeOffset target;
        lock (_timers)
        {
            target = _now + by;
        }

        while (true)
        {
            ManualTimer? next = null;
            lock (_timers)
            {
                foreach (ManualTimer timer in _timers)
                {
                    if (timer.DueAt is { } due && due <= target && (next is null || due < next.DueAt))
                    {
                        next = timer;
                    }
                }

                if (next is null)
                {
                    _now = target;
                    return;
                }

                _now = next.DueAt!.Value;
                next.DueAt = next.Period is { } period ? _now + period : null;
            }

            next.Fire();
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        lock (_timers)
        {
            _timers.Add(timer);
        }

        return timer;
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset? DueAt { get; set; }

        public TimeSpan? Period { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._timers)
            {
                DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : owner._now + dueTime;
                Period = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? null : period;
            }

            return true;
        }

        public void Fire() => callback(state);

        public void Dispose()
        {
            lock (owner._timers)
            {
                DueAt = null;
                owner._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return default;
        }
    }
}

/// <summary>A real logger provider that keeps what it is given, for asserting on log output.</summary>
internal sealed class CollectingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<(string Category, LogLevel Level, EventId Id, string Message, Exception? Exception)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new CollectingLogger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class CollectingLogger(CollectingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Entries.Enqueue((category, logLevel, eventId, formatter(state, exception), exception));
    }
}

/// <summary>A single-threaded synchronization context that runs posted work on its own thread, like a UI loop.</summary>
internal sealed class LoopContext : SynchronizationContext, IDisposable
{
    private readonly BlockingCollection<(SendOrPostCallback Callback, object? State)> _queue = [];
    private readonly Thread _thread;

    public LoopContext()
    {
        _thread = new Thread(() =>
        {
            SetSynchronizationContext(this);
            foreach (var (callback, state) in _queue.GetConsumingEnumerable())
            {
                callback(state);
            }
        })
        { IsBackground = true, Name = "LoopContext" };
        _thread.Start();
    }

    public int ManagedThreadId => _thread.ManagedThreadId;

    public override void Post(SendOrPostCallback d, object? state) => _queue.Add((d, state));

    public override void Send(SendOrPostCallback d, object? state)
    {
        using var done = new ManualResetEventSlim();
        Post(s => { d(s); done.Set(); }, state);
        done.Wait();
    }

    public void Dispose()
    {
        _queue.CompleteAdding();
        _thread.Join();
        _queue.Dispose();
    }
}
