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
}
