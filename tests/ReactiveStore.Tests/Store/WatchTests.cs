namespace ReactiveStore.Tests.Store;

public sealed class WatchTests
{
    [Fact]
    public async Task Watch_streams_matching_events_in_order_from_the_moment_it_is_created()
    {
        await using StateStore store = TestSupport.Background();
        store.Set("cfg.before", 0);
        StateWatch watch = store.Watch("cfg.*");
        store.Set("cfg.a", 1);
        store.Set("other", 1);
        store.Set("cfg.b", 2);

        var seen = new List<string>();
        await foreach (StateEvent e in watch)
        {
            seen.Add($"{e.Path}={e.Value}");
            if (seen.Count == 2)
            {
                break;
            }
        }

        Assert.Equal(["cfg.a=1", "cfg.b=2"], seen);
        Assert.False(watch.IsActive); // leaving the loop ends the watch
    }

    [Fact]
    public async Task A_watcher_that_falls_behind_gets_WatchOverflowException_after_its_buffered_events()
    {
        await using StateStore store = TestSupport.Background();
        StateWatch watch = store.Watch("n", new WatchOptions { Capacity = 4 });
        int others = 0;
        using var other = store.Subscribe("n", _ => others++);
        for (int i = 1; i <= 10; i++)
        {
            store.Set("n", i);
        }

        await store.FlushAsync().WithTimeout();
        Assert.Equal(10, others); // the writer and the other subscriber were never held up

        var seen = new List<int>();
        var ex = await Assert.ThrowsAsync<WatchOverflowException>(async () =>
        {
            await foreach (StateEvent e in watch)
            {
                seen.Add(e.GetValue<int>());
            }
        });
        Assert.Equal([1, 2, 3, 4], seen);
        Assert.Equal(4, ex.Capacity);
        Assert.Equal(4, ex.LastDeliveredVersion);
        Assert.Contains("'n'", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, store.SubscriptionCount - 1);
    }

    [Fact]
    public async Task DropOldest_keeps_the_newest_events_and_counts_the_drops()
    {
        await using StateStore store = TestSupport.Background();
        StateWatch watch = store.Watch("n", new WatchOptions { Capacity = 3, Overflow = WatchOverflowMode.DropOldest });
        for (int i = 1; i <= 10; i++)
        {
            store.Set("n", i);
        }

        await store.FlushAsync().WithTimeout();
        Assert.Equal(7, watch.DroppedCount);
        var seen = new List<int>();
        await foreach (StateEvent e in watch)
        {
            seen.Add(e.GetValue<int>());
            if (seen.Count == 3)
            {
                break;
            }
        }

        Assert.Equal([8, 9, 10], seen);
    }

    [Fact]
    public async Task Cancelling_the_watch_token_ends_the_enumeration_with_OperationCanceledException()
    {
        await using StateStore store = TestSupport.Background();
        using var cts = new CancellationTokenSource();
        StateWatch watch = store.Watch("n", cancellationToken: cts.Token);
        var reading = Task.Run(async () =>
        {
            await foreach (StateEvent e in watch)
            {
                if (e.GetValue<int>() == 1)
                {
                    cts.Cancel();
                }
            }
        });
        store.Set("n", 1);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading.WithTimeout());
        Assert.False(watch.IsActive);
        Assert.Equal(0, store.SubscriptionCount);
    }

    [Fact]
    public async Task A_watch_can_be_enumerated_once_and_ends_when_the_store_shuts_down()
    {
        var store = TestSupport.Background();
        StateWatch watch = store.Watch("n");
        store.Set("n", 1);
        store.Set("n", 2);
        var reading = Task.Run(async () =>
        {
            var seen = new List<int>();
            await foreach (StateEvent e in watch)
            {
                seen.Add(e.GetValue<int>());
            }

            return seen;
        });
        await store.DisposeAsync();
        Assert.Equal([1, 2], await reading.WithTimeout());
        Assert.Throws<InvalidOperationException>(() => watch.GetAsyncEnumerator());
    }

    [Fact]
    public async Task Observe_delivers_to_each_observer_and_completes_on_shutdown()
    {
        var store = TestSupport.Background();
        IObservable<StateEvent> changes = store.Observe("a.*");
        var first = new RecordingObserver();
        var second = new RecordingObserver();
        IDisposable s1 = changes.Subscribe(first);
        using IDisposable s2 = changes.Subscribe(second);
        store.Set("a.x", 1);
        await store.FlushAsync().WithTimeout();
        s1.Dispose();
        store.Set("a.y", 2);
        await store.DisposeAsync();

        Assert.Equal(["a.x"], first.Paths);
        Assert.False(first.Completed);
        Assert.Equal(["a.x", "a.y"], second.Paths);
        Assert.True(second.Completed);
    }

    private sealed class RecordingObserver : IObserver<StateEvent>
    {
        public List<string> Paths { get; } = [];

        public bool Completed { get; private set; }

        public void OnCompleted() => Completed = true;

        public void OnError(Exception error) => throw new InvalidOperationException("not expected", error);

        public void OnNext(StateEvent value) => Paths.Add(value.Path.ToString());
    }
}
