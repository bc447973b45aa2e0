using System.Collections.Concurrent;

namespace ReactiveStore.Tests.Store;

public sealed class ConcurrencyTests
{
    [Theory]
    [InlineData(DispatchMode.Background)]
    [InlineData(DispatchMode.Inline)]
    public async Task Many_writers_and_subscribers_get_every_matching_event_exactly_once_in_version_order(DispatchMode mode)
    {
        const int Writers = 4;
        const int WritesPerWriter = 2_000;
        const int WritesAfterLastSubscription = 200;
        const int SubscriptionsBefore = 40;
        const int SubscriptionsDuring = 40;
        await using var store = new StateStore(new StateStoreOptions { DispatchMode = mode });

        // A subscriber of everything, registered first, records the whole committed history.
        var history = new ConcurrentDictionary<long, StatePath>();
        using var recorder = store.Subscribe("*", e => history[e.Version] = e.Path);
        var received = new ConcurrentDictionary<long, List<long>>();
        var subscriptions = new ConcurrentBag<Subscription>();
        void SubscribeRecording(int i)
        {
            int writer = i / 4 % Writers;
            string selector = (i % 4) switch { 0 => "*", 1 => $"w{writer}", 2 => $"w{writer}.*", _ => "*.k3" };
            var list = new List<long>();
            Subscription s = store.Subscribe(selector, e =>
            {
                lock (list)
                {
                    list.Add(e.Version);
                }
            });
            received[s.Id] = list;
            subscriptions.Add(s);
        }

        // Half of the subscriptions exist before the first write, so each of them expects thousands of events.
        for (int i = 0; i < SubscriptionsBefore; i++)
        {
            SubscribeRecording(i);
        }

        long before = subscriptions.Max(s => s.Id);

        // The other half subscribe while the writes run. The writers keep writing until the last of them is registered,
        // then write some more, so every one of them also has later writes to match (never an empty expectation).
        int subscribing = 1;
        var writes = new int[Writers];
        using var start = new Barrier(Writers + 2);
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait();
                int i = 0;
                while (i < WritesPerWriter || Volatile.Read(ref subscribing) == 1)
                {
                    store.Set($"w{w}.k{i % 7}", i);
                    i++;
                    if (i >= WritesPerWriter)
                    {
                        // Past the planned writes and still waiting for the subscriber: slow down so it gets the lock.
                        Thread.Sleep(1);
                    }
                }

                for (int extra = 0; extra < WritesAfterLastSubscription; extra++, i++)
                {
                    store.Set($"w{w}.k{i % 7}", i);
                }

                writes[w] = i;
            },
            TaskCreationOptions.LongRunning)).ToArray();

        var subscriber = Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait();
                try
                {
                    for (int i = 0; i < SubscriptionsDuring; i++)
                    {
                        SubscribeRecording(SubscriptionsBefore + i);
                        Thread.Yield();
                    }
                }
                finally
                {
                    Volatile.Write(ref subscribing, 0);
                }
            },
            TaskCreationOptions.LongRunning);

        start.SignalAndWait();
        await Task.WhenAll(writers).WithTimeout(60);
        await subscriber.WithTimeout(60);
        await store.FlushAsync().WithTimeout(60);

        Assert.Equal(writes.Sum(), store.Version);
        Assert.Equal(store.Version, history.Count);
        Assert.Equal(SubscriptionsBefore + SubscriptionsDuring, subscriptions.Count);
        Assert.All(subscriptions.Where(s => s.Id <= before), s => Assert.Equal(0, s.StartVersion));
        Assert.True(subscriptions.Any(s => s.StartVersion > 0), "no subscription was registered while the writes ran");
        foreach (Subscription s in subscriptions)
        {
            List<long> got = received[s.Id];
            long[] expected = history
                .Where(h => h.Key > s.StartVersion && s.Selector.IsMatch(h.Value))
                .Select(h => h.Key)
                .Order()
                .ToArray();

            // Every subscription has something to receive; an empty expectation would let a lost event go unnoticed.
            Assert.True(expected.Length > 0, $"{s} (start version {s.StartVersion}) expected no events");
            lock (got)
            {
                // Exactly once, in commit order: the received list equals the matching history after registration.
                Assert.Equal(expected, got);
            }
        }
    }

    [Fact]
    public async Task Subscribers_of_everything_see_every_committed_write_exactly_once()
    {
        const int Writers = 4;
        const int WritesPerWriter = 2_500;
        await using var store = new StateStore();
        var seen = new ConcurrentDictionary<long, int>();
        using var sub = store.Subscribe("*", e => seen.AddOrUpdate(e.Version, 1, (_, n) => n + 1));
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(() =>
        {
            for (int i = 0; i < WritesPerWriter; i++)
            {
                if (i % 10 == 0)
                {
                    store.Batch(b =>
                    {
                        b.Set($"w{w}.batch.a", i);
                        b.Set($"w{w}.batch.b", i);
                    });
                }
                else
                {
                    store.Set($"w{w}.n", i);
                }
            }
        }))).WithTimeout(60);
        await store.FlushAsync().WithTimeout(60);

        Assert.Equal(store.Version, seen.Count);
        Assert.All(seen.Values, n => Assert.Equal(1, n));
        Assert.Equal(Enumerable.Range(1, (int)store.Version).Select(i => (long)i), seen.Keys.Order());
    }

    [Fact]
    public async Task Subscribing_and_unsubscribing_while_writing_never_deadlocks_or_delivers_after_dispose()
    {
        await using var store = new StateStore();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        int afterDispose = 0;
        var writer = Task.Run(() =>
        {
            int i = 0;
            while (!stop.IsCancellationRequested)
            {
                store.Set("hot.value", ++i);
            }
        });
        var churn = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                int disposed = 0;
                Subscription s = store.Subscribe("hot", _ =>
                {
                    if (Volatile.Read(ref disposed) == 1)
                    {
                        Interlocked.Increment(ref afterDispose);
                    }
                }, new SubscribeOptions());
                Thread.SpinWait(100);
                s.Dispose();

                // A callback already running may finish; give it a moment, then nothing more may start.
                store.FlushAsync().Wait(TimeSpan.FromSeconds(5));
                Volatile.Write(ref disposed, 1);
            }
        });
        await Task.WhenAll(writer, churn).WithTimeout(30);
        await store.FlushAsync().WithTimeout();
        Assert.Equal(0, afterDispose);
        Assert.Equal(0, store.SubscriptionCount);
    }
}
