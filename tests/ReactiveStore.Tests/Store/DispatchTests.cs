using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace ReactiveStore.Tests.Store;

public sealed class DispatchTests
{
    [Fact]
    public async Task Background_dispatch_delivers_in_commit_order_off_the_writing_thread()
    {
        await using StateStore store = TestSupport.Background();
        var seen = new List<(long Version, int Thread)>();
        using var sub = store.Subscribe("n", e => seen.Add((e.Version, Environment.CurrentManagedThreadId)));
        for (int i = 1; i <= 100; i++)
        {
            store.Set("n", i);
        }

        await store.FlushAsync().WithTimeout();
        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), seen.Select(s => s.Version));
    }

    [Fact]
    public async Task Async_callbacks_are_awaited_one_event_at_a_time()
    {
        await using StateStore store = TestSupport.Background();
        int running = 0;
        int maxConcurrent = 0;
        var order = new List<int>();
        using var sub = store.Subscribe("n", async e =>
        {
            int now = Interlocked.Increment(ref running);
            maxConcurrent = Math.Max(maxConcurrent, now);
            await Task.Delay(2);
            order.Add(e.GetValue<int>());
            Interlocked.Decrement(ref running);
        });
        for (int i = 1; i <= 10; i++)
        {
            store.Set("n", i);
        }

        await store.FlushAsync().WithTimeout();
        Assert.Equal(Enumerable.Range(1, 10), order);
        Assert.Equal(1, maxConcurrent);
    }

    [Fact]
    public async Task A_throwing_callback_is_retried_then_dead_lettered_and_others_still_get_the_event()
    {
        var logs = new CollectingLoggerProvider();
        using var loggerFactory = Microsoft.Extensions.Logging.LoggerFactory.Create(b => Microsoft.Extensions.Logging.LoggingBuilderExtensions.AddProvider(b, logs));
        await using StateStore store = TestSupport.Background(new RetryPolicy { MaxAttempts = 3, BaseDelay = TimeSpan.FromMilliseconds(1) }, loggerFactory: loggerFactory);
        int attempts = 0;
        var healthy = new List<long>();
        using var bad = store.Subscribe("a", _ =>
        {
            attempts++;
            throw new InvalidOperationException("bad subscriber");
        });
        using var good = store.Subscribe("a", e => healthy.Add(e.Version));

        store.Set("a", 1);
        store.Set("a", 2);
        await store.FlushAsync().WithTimeout();

        Assert.Equal(6, attempts);
        Assert.Equal([1L, 2L], healthy);
        DeadLetter[] letters = store.DeadLetters.ToArray();
        Assert.Equal(2, letters.Length);
        Assert.Equal(bad.Id, letters[0].SubscriptionId);
        Assert.Equal(3, letters[0].Attempts);
        Assert.Equal("bad subscriber", letters[0].Exception.Message);
        Assert.Equal(1, letters[0].Event.Version);
        Assert.Contains(logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning && e.Message.Contains("attempt 1 of 3", StringComparison.Ordinal));
        Assert.Contains(logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Error && e.Message.Contains("dead letters", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_callback_that_fails_once_succeeds_on_retry()
    {
        await using StateStore store = TestSupport.Background();
        int attempts = 0;
        using var flaky = store.Subscribe("a", _ =>
        {
            if (++attempts == 1)
            {
                throw new InvalidOperationException("transient");
            }
        });
        store.Set("a", 1);
        await store.FlushAsync().WithTimeout();
        Assert.Equal(2, attempts);
        Assert.Empty(store.DeadLetters);
    }

    [Fact]
    public void Retry_delays_grow_exponentially_up_to_the_cap()
    {
        var policy = new RetryPolicy { BaseDelay = TimeSpan.FromMilliseconds(10), Factor = 2, MaxDelay = TimeSpan.FromMilliseconds(50) };
        Assert.Equal(TimeSpan.FromMilliseconds(10), policy.GetDelay(1));
        Assert.Equal(TimeSpan.FromMilliseconds(20), policy.GetDelay(2));
        Assert.Equal(TimeSpan.FromMilliseconds(40), policy.GetDelay(3));
        Assert.Equal(TimeSpan.FromMilliseconds(50), policy.GetDelay(4));
        Assert.Equal(5, RetryPolicy.Default.MaxAttempts);
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetryPolicy { MaxAttempts = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetryPolicy { Factor = 0.5 });
    }

    [Fact]
    public async Task A_hanging_callback_is_abandoned_after_the_timeout_and_delivery_goes_on()
    {
        await using StateStore store = TestSupport.Background(callbackTimeout: TimeSpan.FromMilliseconds(100));
        using var release = new ManualResetEventSlim();
        var hungCalls = new List<long>();
        var others = new List<long>();
        using var hung = store.Subscribe("a", e =>
        {
            lock (hungCalls)
            {
                hungCalls.Add(e.Version);
            }

            if (e.Version == 1)
            {
                release.Wait(TimeSpan.FromSeconds(20));
            }
        });
        using var other = store.Subscribe("a", e => others.Add(e.Version));

        store.Set("a", 1);
        store.Set("a", 2);
        await store.FlushAsync().WithTimeout();

        // The other subscriber got both events although the first one hung.
        Assert.Equal([1L, 2L], others);
        DeadLetter[] letters = store.DeadLetters.ToArray();
        Assert.IsType<TimeoutException>(letters[0].Exception);
        Assert.Equal(1, letters[0].Event.Version);

        // While the abandoned callback still runs, its subscription does not get events concurrently.
        Assert.Equal(2, letters[1].Event.Version);
        Assert.Contains("still running", letters[1].Exception.Message, StringComparison.Ordinal);

        // Once it returns, it receives events again.
        release.Set();
        await Task.Delay(50);
        store.Set("a", 3);
        await store.FlushAsync().WithTimeout();
        lock (hungCalls)
        {
            Assert.Equal([1L, 3L], hungCalls);
        }
    }

    [Fact]
    public void Inline_dispatch_runs_callbacks_on_the_writer_before_Set_returns()
    {
        using var store = TestSupport.Inline();
        int thread = -1;
        bool delivered = false;
        using var sub = store.Subscribe("a", _ =>
        {
            thread = Environment.CurrentManagedThreadId;
            delivered = true;
        });
        store.Set("a", 1);
        Assert.True(delivered);
        Assert.Equal(Environment.CurrentManagedThreadId, thread);
    }

    [Fact]
    public void Inline_writes_from_a_callback_are_delivered_after_the_current_event()
    {
        using var store = TestSupport.Inline();
        var log = new List<string>();
        using var first = store.Subscribe("a", e =>
        {
            log.Add($"first {e.Path} v{e.Version}");
            if (e.Path.ToString() == "a.x")
            {
                store.Set("a.y", 1);
                log.Add("first wrote a.y");
            }
        });
        using var second = store.Subscribe("a", e => log.Add($"second {e.Path} v{e.Version}"));

        store.Set("a.x", 1);

        Assert.Equal(["first a.x v1", "first wrote a.y", "second a.x v1", "first a.y v2", "second a.y v2"], log);
    }

    [Fact]
    public void Inline_callbacks_that_throw_are_dead_lettered_without_failing_the_write()
    {
        using var store = TestSupport.Inline();
        using var bad = store.Subscribe("a", _ => throw new InvalidOperationException("nope"));
        int good = 0;
        using var ok = store.Subscribe("a", _ => good++);
        store.Set("a", 1);
        Assert.Equal(1, good);
        Assert.Equal(1, store.Get<int>("a"));
        DeadLetter letter = Assert.Single(store.DeadLetters);
        Assert.Equal(1, letter.Attempts);
    }

    [Fact]
    public async Task Callbacks_writing_to_the_store_make_ordinary_later_writes()
    {
        await using StateStore store = TestSupport.Background();
        using var echo = store.Subscribe("source", e => store.Set("echo", e.GetValue<int>() * 10));
        var echoes = new List<int>();
        using var sink = store.Subscribe("echo", e => echoes.Add(e.GetValue<int>()));
        store.Set("source", 1);
        store.Set("source", 2);
        await store.FlushAsync().WithTimeout();
        await store.FlushAsync().WithTimeout();
        Assert.Equal([10, 20], echoes);
    }

    [Fact]
    public async Task Subscribers_with_a_context_are_called_on_it()
    {
        using var loop = new LoopContext();
        await using StateStore store = TestSupport.Background();
        var threads = new List<int>();
        using var sub = store.Subscribe("a", _ => threads.Add(Environment.CurrentManagedThreadId), new SubscribeOptions { Context = loop });
        using var asyncSub = store.Subscribe(
            "a",
            async _ =>
            {
                threads.Add(Environment.CurrentManagedThreadId);
                await Task.Yield();
            },
            new SubscribeOptions { Context = loop });
        store.Set("a", 1);
        await store.FlushAsync().WithTimeout();
        Assert.Equal([loop.ManagedThreadId, loop.ManagedThreadId], threads);
    }

    [Fact]
    public void The_store_default_context_applies_to_inline_subscribers_too()
    {
        using var loop = new LoopContext();
        using var store = new StateStore(new StateStoreOptions { DispatchMode = DispatchMode.Inline, SynchronizationContext = loop });
        int thread = -1;
        using var sub = store.Subscribe("a", _ => thread = Environment.CurrentManagedThreadId);
        store.Set("a", 1);
        Assert.Equal(loop.ManagedThreadId, thread);
    }

    [Fact]
    public async Task A_context_callback_that_throws_is_retried_and_dead_lettered()
    {
        using var loop = new LoopContext();
        await using StateStore store = TestSupport.Background();
        int attempts = 0;
        using var sub = store.Subscribe("a", _ =>
        {
            attempts++;
            throw new InvalidOperationException("ui failed");
        }, new SubscribeOptions { Context = loop });
        store.Set("a", 1);
        await store.FlushAsync().WithTimeout();
        Assert.Equal(3, attempts);
        Assert.Single(store.DeadLetters);
    }

    [Fact]
    public void DeadLetters_are_bounded_and_count_drops()
    {
        using var store = new StateStore(new StateStoreOptions { DispatchMode = DispatchMode.Inline, DeadLetterCapacity = 2 });
        using var bad = store.Subscribe("a", _ => throw new InvalidOperationException());
        store.Set("a", 1);
        store.Set("a", 2);
        store.Set("a", 3);
        Assert.Equal(2, store.DeadLetters.Count);
        Assert.Equal(1, store.DeadLetters.DroppedCount);
        Assert.True(store.DeadLetters.TryDequeue(out DeadLetter? oldest));
        Assert.Equal(2, oldest.Event.Version);
        store.DeadLetters.Clear();
        Assert.Empty(store.DeadLetters);
    }

    [Fact]
    public async Task FlushAsync_completes_at_once_with_nothing_queued_and_honours_cancellation()
    {
        await using StateStore store = TestSupport.Background();
        await store.FlushAsync().WithTimeout();
        using var gate = new ManualResetEventSlim();
        using var sub = store.Subscribe("a", _ => gate.Wait(TimeSpan.FromSeconds(10)));
        store.Set("a", 1);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.FlushAsync(cts.Token));
        gate.Set();
        await store.FlushAsync().WithTimeout();
    }

    // Subscription.Dispose contract: once Dispose returns, no callback of the subscription starts, not even one already
    // posted to a context that is busy. A second subscription on the same context proves the posted work did run.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Background_a_callback_posted_to_a_busy_context_does_not_run_once_Dispose_returned(bool asyncCallback)
    {
        using var ui = new SingleThreadContext();
        await using StateStore store = TestSupport.Background();
        int disposedCalls = 0;
        int controlCalls = 0;
        var options = new SubscribeOptions { Context = ui };
        Subscription disposed = asyncCallback
            ? store.Subscribe("a", _ =>
            {
                Interlocked.Increment(ref disposedCalls);
                return ValueTask.CompletedTask;
            }, options)
            : store.Subscribe("a", _ => Interlocked.Increment(ref disposedCalls), options);
        using Subscription control = store.Subscribe("a", _ => Interlocked.Increment(ref controlCalls), options);

        using (ui.Block())
        {
            int posted = ui.PostCount;
            store.Set("a", 1);

            // The dispatcher has posted the callback behind the blocking work item: the context is busy.
            ui.WaitForPosts(posted + 1);
            disposed.Dispose();
        }

        await store.FlushAsync().WithTimeout();
        Assert.Equal(1, Volatile.Read(ref controlCalls));
        Assert.Equal(0, Volatile.Read(ref disposedCalls));
        Assert.Empty(store.DeadLetters);
    }

    [Fact]
    public async Task Inline_a_callback_sent_to_a_busy_context_does_not_run_once_Dispose_returned()
    {
        using var ui = new SingleThreadContext();
        using StateStore store = TestSupport.Inline();
        int disposedCalls = 0;
        int controlCalls = 0;
        Subscription disposed = store.Subscribe("a", _ => Interlocked.Increment(ref disposedCalls), new SubscribeOptions { Context = ui });
        using Subscription control = store.Subscribe("a", _ => Interlocked.Increment(ref controlCalls), new SubscribeOptions { Context = ui });

        Task writer;
        using (ui.Block())
        {
            int posted = ui.PostCount;

            // The writer delivers inline: it sends the first callback to the busy context and waits there.
            writer = Task.Run(() => store.Set("a", 1));
            ui.WaitForPosts(posted + 1);
            disposed.Dispose();
        }

        await writer.WithTimeout();
        Assert.Equal(1, Volatile.Read(ref controlCalls));
        Assert.Equal(0, Volatile.Read(ref disposedCalls));
        Assert.Empty(store.DeadLetters);
    }

    [Theory]
    [InlineData(DispatchMode.Background)]
    [InlineData(DispatchMode.Inline)]
    public async Task A_subscription_disposed_by_an_earlier_subscriber_of_the_same_event_is_not_called(DispatchMode mode)
    {
        await using var store = new StateStore(new StateStoreOptions { DispatchMode = mode });
        int laterCalls = 0;
        Subscription? later = null;

        // Deeper subscribers are called first: the one on a.b runs before the one on a, and disposes it from another thread.
        using Subscription first = store.Subscribe("a.b", _ => Task.Run(() => later!.Dispose()).Wait(TimeSpan.FromSeconds(10)));
        later = store.Subscribe("a", _ => Interlocked.Increment(ref laterCalls));
        using Subscription witness = store.Subscribe("a", _ => { });

        store.Set("a.b", 1);
        await store.FlushAsync().WithTimeout();

        Assert.False(later.IsActive);
        Assert.Equal(0, Volatile.Read(ref laterCalls));
    }

    [Fact]
    public async Task Background_CallbackFailed_reports_every_attempt_and_the_dead_letter()
    {
        await using StateStore store = TestSupport.Background(new RetryPolicy { MaxAttempts = 3, BaseDelay = TimeSpan.FromMilliseconds(1) });
        var reports = new ConcurrentQueue<(object? Sender, CallbackFailedEventArgs Args)>();
        store.CallbackFailed += (sender, e) => reports.Enqueue((sender, e));
        // A callback that throws FormatException, the kind of mistake that used to vanish into DeadLetters.
        using Subscription bad = store.Subscribe("orders.*", e => Console.WriteLine(int.Parse(e.GetValue<string>()!, System.Globalization.CultureInfo.InvariantCulture)));

        store.Set("orders.o1", "ten");
        await store.FlushAsync().WithTimeout();

        (object? Sender, CallbackFailedEventArgs Args)[] got = reports.ToArray();
        Assert.Equal(3, got.Length);
        Assert.Equal([1, 2, 3], got.Select(r => r.Args.Attempt));
        Assert.Equal([false, false, true], got.Select(r => r.Args.IsDeadLettered));
        Assert.All(got, r =>
        {
            Assert.Same(store, r.Sender);
            Assert.Equal(bad.Id, r.Args.SubscriptionId);
            Assert.Equal("orders.*", r.Args.Selector);
            Assert.Equal("orders.o1", r.Args.Event.Path.ToString());
            Assert.Equal(1, r.Args.Event.Version);
            Assert.IsType<FormatException>(r.Args.Exception);
            Assert.Equal(3, r.Args.MaxAttempts);
        });
        DeadLetter letter = Assert.Single(store.DeadLetters);
        Assert.Same(got[2].Args.Exception, letter.Exception);
    }

    [Fact]
    public void Inline_CallbackFailed_reports_the_failure_before_Set_returns()
    {
        using StateStore store = TestSupport.Inline();
        var reports = new List<CallbackFailedEventArgs>();
        EventHandler<CallbackFailedEventArgs> handler = (_, e) => reports.Add(e);
        store.CallbackFailed += handler;
        using Subscription bad = store.Subscribe("a", _ => throw new InvalidOperationException("inline failure"));

        store.Set("a", 1);

        CallbackFailedEventArgs report = Assert.Single(reports);
        Assert.Equal(bad.Id, report.SubscriptionId);
        Assert.Equal((1, 1, true), (report.Attempt, report.MaxAttempts, report.IsDeadLettered));
        Assert.Equal("inline failure", report.Exception.Message);
        Assert.Equal(1, report.Event.Version);

        // A removed handler is no longer called.
        store.CallbackFailed -= handler;
        store.Set("a", 2);
        Assert.Single(reports);
        Assert.Equal(2, store.DeadLetters.Count);
    }

    [Theory]
    [InlineData(DispatchMode.Background)]
    [InlineData(DispatchMode.Inline)]
    public async Task A_throwing_CallbackFailed_handler_does_not_break_delivery_or_other_handlers(DispatchMode mode)
    {
        var logs = new CollectingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs));
        await using var store = new StateStore(new StateStoreOptions
        {
            DispatchMode = mode,
            RetryPolicy = RetryPolicy.None,
            LoggerFactory = loggerFactory,
        });
        int secondHandler = 0;
        store.CallbackFailed += (_, _) => throw new InvalidOperationException("handler failure");
        store.CallbackFailed += (_, _) => Interlocked.Increment(ref secondHandler);
        using Subscription bad = store.Subscribe("a", _ => throw new InvalidOperationException("callback failure"));
        var healthy = new ConcurrentQueue<long>();
        using Subscription good = store.Subscribe("a", e => healthy.Enqueue(e.Version));

        store.Set("a", 1);
        store.Set("a", 2);
        await store.FlushAsync().WithTimeout();

        Assert.Equal([1L, 2L], healthy);
        Assert.Equal(2, Volatile.Read(ref secondHandler));
        Assert.Equal(2, store.DeadLetters.Count);
        Assert.Equal(2, logs.Entries.Count(e => e.Id.Id == 8 && e.Exception?.Message == "handler failure"));
    }

    [Theory]
    [InlineData(DispatchMode.Background)]
    [InlineData(DispatchMode.Inline)]
    public async Task Without_a_logger_each_failure_is_written_to_Trace(DispatchMode mode)
    {
        // Trace listeners are process-wide: a path unique to this test picks out its own lines.
        string path = $"trace{Guid.NewGuid():N}";
        using var listener = new CollectingTraceListener();
        Trace.Listeners.Add(listener);
        try
        {
            await using var store = new StateStore(new StateStoreOptions
            {
                DispatchMode = mode,
                RetryPolicy = new RetryPolicy { MaxAttempts = 2, BaseDelay = TimeSpan.FromMilliseconds(1) },
            });
            using Subscription bad = store.Subscribe(path, _ => throw new FormatException("Input string was not in a correct format."));
            store.Set(path, 1);
            await store.FlushAsync().WithTimeout();

            string[] lines = listener.Lines.Where(l => l.Contains(path, StringComparison.Ordinal)).ToArray();
            string[] expected = mode == DispatchMode.Inline
                ? [$"ReactiveStore: subscriber {bad.Id} ('{path}') failed on Set '{path}' v1 (attempt 1 of 1; the event went to the dead letters): FormatException: Input string was not in a correct format."]
                :
                [
                    $"ReactiveStore: subscriber {bad.Id} ('{path}') failed on Set '{path}' v1 (attempt 1 of 2; it will be retried): FormatException: Input string was not in a correct format.",
                    $"ReactiveStore: subscriber {bad.Id} ('{path}') failed on Set '{path}' v1 (attempt 2 of 2; the event went to the dead letters): FormatException: Input string was not in a correct format.",
                ];
            Assert.Equal(expected, lines);
        }
        finally
        {
            Trace.Listeners.Remove(listener);
        }
    }

    [Theory]
    [InlineData(DispatchMode.Background)]
    [InlineData(DispatchMode.Inline)]
    public async Task A_trace_listener_that_throws_does_not_break_delivery(DispatchMode mode)
    {
        string path = $"throwing{Guid.NewGuid():N}";
        using var listener = new ThrowingTraceListener(path);
        Trace.Listeners.Add(listener);
        try
        {
            await using var store = new StateStore(new StateStoreOptions { DispatchMode = mode, RetryPolicy = RetryPolicy.None });
            using Subscription bad = store.Subscribe(path, _ => throw new InvalidOperationException("callback failure"));
            var healthy = new ConcurrentQueue<long>();
            using Subscription good = store.Subscribe(path, e => healthy.Enqueue(e.Version));

            store.Set(path, 1);
            store.Set(path, 2);
            await store.FlushAsync().WithTimeout();

            Assert.Equal([1L, 2L], healthy);
            Assert.Equal(2, store.DeadLetters.Count);
            Assert.Equal(2, listener.Thrown);
        }
        finally
        {
            Trace.Listeners.Remove(listener);
        }
    }

    [Fact]
    public async Task With_a_logger_that_records_failures_nothing_is_written_to_Trace()
    {
        string path = $"logged{Guid.NewGuid():N}";
        using var listener = new CollectingTraceListener();
        Trace.Listeners.Add(listener);
        try
        {
            var logs = new CollectingLoggerProvider();
            using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs));
            await using var store = new StateStore(new StateStoreOptions { DispatchMode = DispatchMode.Inline, LoggerFactory = loggerFactory });
            using Subscription bad = store.Subscribe(path, _ => throw new FormatException("bad format"));
            store.Set(path, 1);

            Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains(path, StringComparison.Ordinal));
            Assert.DoesNotContain(listener.Lines, l => l.Contains(path, StringComparison.Ordinal));
        }
        finally
        {
            Trace.Listeners.Remove(listener);
        }
    }

    [Fact]
    public async Task CallbackFailed_reports_a_hung_callback_and_the_events_it_missed()
    {
        await using StateStore store = TestSupport.Background(callbackTimeout: TimeSpan.FromMilliseconds(100));
        var reports = new ConcurrentQueue<CallbackFailedEventArgs>();
        store.CallbackFailed += (_, e) => reports.Enqueue(e);
        using var release = new ManualResetEventSlim();
        using Subscription hung = store.Subscribe("a", e =>
        {
            if (e.Version == 1)
            {
                release.Wait(TimeSpan.FromSeconds(20));
            }
        });

        store.Set("a", 1);
        store.Set("a", 2);
        await store.FlushAsync().WithTimeout();
        release.Set();

        CallbackFailedEventArgs[] got = reports.ToArray();
        Assert.Equal(2, got.Length);
        Assert.IsType<TimeoutException>(got[0].Exception);
        Assert.Equal((1L, 1, true), (got[0].Event.Version, got[0].Attempt, got[0].IsDeadLettered));
        Assert.Contains("still running", got[1].Exception.Message, StringComparison.Ordinal);
        Assert.Equal((2L, 0, true), (got[1].Event.Version, got[1].Attempt, got[1].IsDeadLettered));
    }

    /// <summary>A single-threaded context like a UI loop, that a test can keep busy and whose posts it can count.</summary>
    private sealed class SingleThreadContext : SynchronizationContext, IDisposable
    {
        private readonly BlockingCollection<(SendOrPostCallback Callback, object? State)> _queue = [];
        private readonly Thread _thread;
        private int _posts;

        public SingleThreadContext()
        {
            _thread = new Thread(() =>
            {
                SetSynchronizationContext(this);
                foreach (var (callback, state) in _queue.GetConsumingEnumerable())
                {
                    callback(state);
                }
            })
            { IsBackground = true, Name = "SingleThreadContext" };
            _thread.Start();
        }

        public int PostCount => Volatile.Read(ref _posts);

        public override void Post(SendOrPostCallback d, object? state)
        {
            _queue.Add((d, state));
            Interlocked.Increment(ref _posts);
        }

        public override void Send(SendOrPostCallback d, object? state)
        {
            using var done = new ManualResetEventSlim();
            Post(
                s =>
                {
                    try
                    {
                        d(s);
                    }
                    finally
                    {
                        done.Set();
                    }
                },
                state);
            done.Wait();
        }

        /// <summary>Keeps the context's thread busy until the returned handle is disposed.</summary>
        public IDisposable Block()
        {
            var started = new ManualResetEventSlim();
            var gate = new ManualResetEventSlim();
            Post(_ =>
            {
                started.Set();
                gate.Wait(TimeSpan.FromSeconds(30));
            }, null);
            Assert.True(started.Wait(TimeSpan.FromSeconds(10)), "the context did not start the blocking work item");
            return new Release(gate, started);
        }

        public void WaitForPosts(int count) =>
            Assert.True(SpinWait.SpinUntil(() => PostCount >= count, TimeSpan.FromSeconds(10)), $"expected {count} posts, saw {PostCount}");

        public void Dispose()
        {
            _queue.CompleteAdding();
            _thread.Join();
            _queue.Dispose();
        }

        private sealed class Release(ManualResetEventSlim gate, ManualResetEventSlim started) : IDisposable
        {
            public void Dispose()
            {
                gate.Set();
                started.Dispose();
            }
        }
    }

    /// <summary>Throws for every line about one path, like a broken listener a user configured.</summary>
    private sealed class ThrowingTraceListener(string path) : TraceListener
    {
        private int _thrown;

        public int Thrown => Volatile.Read(ref _thrown);

        public override void Write(string? message)
        {
        }

        public override void WriteLine(string? message)
        {
            if (message is not null && message.Contains(path, StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _thrown);
                throw new IOException("trace listener failed");
            }
        }
    }

    /// <summary>Keeps every line written to the trace listeners.</summary>
    private sealed class CollectingTraceListener : TraceListener
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public override void Write(string? message)
        {
        }

        public override void WriteLine(string? message)
        {
            if (message is not null)
            {
                Lines.Enqueue(message);
            }
        }
    }
}
