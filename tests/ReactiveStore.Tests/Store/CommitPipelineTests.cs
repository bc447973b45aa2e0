using System.Collections.Concurrent;
using ReactiveStore.Signals;
using ReactiveStore.Storage;
using ReactiveStore.Tests.Storage;

namespace ReactiveStore.Tests.Store;

/// <summary>The per-store commit pipeline (issue 10): independent stores, group commit, async writes, failures.</summary>
public sealed class CommitPipelineTests
{
    [Theory]
    [InlineData(DispatchMode.Inline, 1)]
    [InlineData(DispatchMode.Inline, 2)]
    [InlineData(DispatchMode.Background, 1)]
    [InlineData(DispatchMode.Background, 2)]
    public async Task Four_writers_lose_duplicate_and_reorder_no_event_on_one_and_on_two_stores(DispatchMode mode, int storeCount)
    {
        const int Writers = 4;
        const int WritesPerWriter = 2_500;
        var stores = new StateStore[storeCount];
        var seen = new ConcurrentQueue<StateEvent>[storeCount];
        var subscriptions = new List<Subscription>();
        for (int s = 0; s < storeCount; s++)
        {
            stores[s] = new StateStore(new StateStoreOptions { DispatchMode = mode });
            var queue = seen[s] = new ConcurrentQueue<StateEvent>();
            subscriptions.Add(stores[s].Subscribe("*", queue.Enqueue));
        }

        // Every subscription exists before the first write.
        using var start = new Barrier(Writers);
        Task[] writers = Enumerable.Range(0, Writers).Select(w => Task.Run(() =>
        {
            start.SignalAndWait();
            for (int i = 0; i < WritesPerWriter; i++)
            {
                StateStore store = stores[(w + i) % storeCount];
                if (i % 50 == 49)
                {
                    store.Batch(b =>
                    {
                        b.Set($"w{w}.batch", i);
                        b.Set($"w{w}.seq", i);
                    });
                }
                else
                {
                    store.Set($"w{w}.seq", i);
                }
            }
        })).ToArray();
        await Task.WhenAll(writers).WithTimeout(60);

        for (int s = 0; s < storeCount; s++)
        {
            await stores[s].FlushAsync().WithTimeout(30);
            StateEvent[] events = [.. seen[s]];
            Assert.NotEmpty(events);

            // Exactly once, in commit order: versions strictly increasing and contiguous from 1 to the store's version.
            Assert.Equal(Enumerable.Range(1, (int)stores[s].Version).Select(v => (long)v), events.Select(e => e.Version));

            // Each writer's writes in its own order.
            foreach (IGrouping<string, StateEvent> byPath in events.GroupBy(e => e.Path.ToString()))
            {
                int[] values = byPath.Select(e => e.GetValue<int>()).ToArray();
                Assert.Equal(values.OrderBy(v => v), values);
            }
        }

        int total = seen.Sum(q => q.Count(e => e.Path.Name == "seq"));
        Assert.Equal(Writers * WritesPerWriter, total);
        foreach (Subscription subscription in subscriptions)
        {
            subscription.Dispose();
        }

        foreach (StateStore store in stores)
        {
            store.Dispose();
        }
    }

    [Fact]
    public async Task Concurrent_async_writers_share_storage_transactions_and_each_is_durable_when_acknowledged()
    {
        var storage = new GateStorage(new InMemoryStorage());
        await using StateStore store = await StateStore.OpenAsync(new StateStoreOptions { Storage = storage });
        storage.Block();
        Task<StateEntry<int>>[] writes = Enumerable.Range(0, 16).Select(i => store.SetAsync($"k{i}", i).AsTask()).ToArray();

        // The first group is stuck in the driver; the others queue behind it and none is acknowledged yet.
        await storage.WaitUntilBlockedAsync();
        await Task.Delay(50);
        Assert.All(writes, w => Assert.False(w.IsCompleted));
        storage.Release();
        StateEntry<int>[] entries = await Task.WhenAll(writes).WithTimeout(30);

        Assert.Equal(16, entries.Length);
        for (int i = 0; i < 16; i++)
        {
            Assert.True(storage.Inner.TryGet($"k{i}", out StoredEntry? stored), $"k{i} acknowledged but not in storage");
            Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), StorageTestSupport.Json(stored));
        }

        // 16 writes, a handful of driver calls at most: writes that arrived while a group was being formed or persisted
        // went in together.
        Assert.InRange(storage.WriteCalls, 1, 8);
        Assert.Equal(16, storage.BatchSizes.Sum());
        Assert.Contains(storage.BatchSizes, size => size > 1);
    }

    [Fact]
    public async Task Concurrent_async_writers_with_an_effect_that_writes_durably_all_complete()
    {
        string folder = StorageTestSupport.NewTempDirectory();
        try
        {
            await using StateStore store = await StateStore.OpenAsync(new StateStoreOptions { Storage = new FileSystemStorage(folder) });
            using IDisposable mirror = store.Track(ctx =>
            {
                int source = ctx.Get<int>("w0.k");
                if (source != 0)
                {
                    store.Set("mirror", source);
                }
            });
            Task[] writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
            {
                for (int n = 1; n <= 40; n++)
                {
                    await store.SetAsync($"w{w}.k", n);
                }
            })).ToArray();
            await Task.WhenAll(writers).WithTimeout(60);
            Assert.Equal(40, store.Get<int>("mirror"));
        }
        finally
        {
            StorageTestSupport.DeleteDirectory(folder);
        }
    }

    [Fact]
    public async Task A_driver_failure_fails_exactly_the_writes_of_its_group_and_nothing_after_it()
    {
        var storage = new GateStorage(new InMemoryStorage());
        await using StateStore store = await StateStore.OpenAsync(new StateStoreOptions { Storage = storage, DispatchMode = DispatchMode.Inline });
        var events = new ConcurrentQueue<StateEvent>();
        using Subscription sub = store.Subscribe("*", events.Enqueue);
        store.Set("before", 1);

        storage.Block();
        Task<StateEntry<int>> first = store.SetAsync("group1.a", 1).AsTask();
        await storage.WaitUntilBlockedAsync();
        Task<StateEntry<int>>[] queued = Enumerable.Range(0, 4).Select(i => store.SetAsync($"group2.k{i}", i).AsTask()).ToArray();
        await Task.Delay(50);

        // The driver "hangs", then fails the first group only.
        storage.FailNext = true;
        storage.Release();
        IOException error = await Assert.ThrowsAsync<IOException>(() => first.WithTimeout(30));
        Assert.Equal("injected write failure", error.Message);
        StateEntry<int>[] later = await Task.WhenAll(queued).WithTimeout(30);
        Assert.Equal(4, later.Length);

        Assert.False(store.Exists("group1.a"));
        Assert.False(storage.Inner.TryGet("group1.a", out _));
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(i, store.Get<int>($"group2.k{i}"));
            Assert.True(storage.Inner.TryGet($"group2.k{i}", out _));
        }

        // The failed write left no trace: no event, no version (versions stay contiguous).
        Assert.DoesNotContain(events, e => e.Path.ToString() == "group1.a");
        Assert.Equal(Enumerable.Range(1, 5).Select(v => (long)v), events.Select(e => e.Version));
    }

    [Fact]
    public async Task Writes_to_other_stores_and_signals_do_not_wait_for_a_store_stuck_in_storage()
    {
        var slow = new GateStorage(new InMemoryStorage());
        await using StateStore stuck = await StateStore.OpenAsync(new StateStoreOptions { Storage = slow });
        await using StateStore other = await StateStore.OpenAsync(new StateStoreOptions { Storage = new InMemoryStorage() });
        await using var memory = new StateStore();
        var signal = new Signal<int>(0);
        using var effect = new Effect(() => _ = signal.Value);

        slow.Block();
        Task stuckWrite = Task.Run(() => stuck.Set("x", 1));
        await slow.WaitUntilBlockedAsync();

        // While one store's driver holds its commit, everything else proceeds.
        Task others = Task.Run(() =>
        {
            for (int i = 0; i < 100; i++)
            {
                other.Set("y", i);
                memory.Set("z", i);
                signal.Value = i + 1;
            }
        });
        await others.WithTimeout(10);
        Assert.False(stuckWrite.IsCompleted);
        Assert.Equal(99, other.Get<int>("y"));

        // Readers of the stuck store are not blocked either: they see the state before the pending write.
        Assert.False(stuck.Exists("x"));
        slow.Release();
        await stuckWrite.WithTimeout(10);
        Assert.Equal(1, stuck.Get<int>("x"));
    }

    [Fact]
    public async Task A_write_cancelled_while_it_waits_for_its_commit_writes_nothing()
    {
        var storage = new GateStorage(new InMemoryStorage());
        await using StateStore store = await StateStore.OpenAsync(new StateStoreOptions { Storage = storage });
        storage.Block();
        Task<StateEntry<int>> blocking = store.SetAsync("first", 1).AsTask();
        await storage.WaitUntilBlockedAsync();

        using var cancel = new CancellationTokenSource();
        Task<StateEntry<int>> cancelled = store.SetAsync("cancelled", 1, cancellationToken: cancel.Token).AsTask();
        Task<bool> cancelledDelete = store.DeleteAsync("first", cancel.Token).AsTask();
        await Task.Delay(20);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WithTimeout(10));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelledDelete.WithTimeout(10));

        storage.Release();
        await blocking.WithTimeout(10);
        await store.FlushAsync().WithTimeout(10);
        Assert.False(store.Exists("cancelled"));
        Assert.False(storage.Inner.TryGet("cancelled", out _));
        Assert.True(store.Exists("first"));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.SetAsync("pre", 1, cancellationToken: cancel.Token).AsTask());
    }

    [Fact]
    public async Task Disposing_while_async_writers_run_keeps_every_acknowledged_write_and_fails_the_rest()
    {
        string folder = StorageTestSupport.NewTempDirectory();
        try
        {
            var acknowledged = new ConcurrentBag<string>();
            var failures = new ConcurrentBag<Exception>();
            StateStore store = await StateStore.OpenAsync(new StateStoreOptions { Storage = new FileSystemStorage(folder) });
            using var go = new CancellationTokenSource();
            Task[] writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
            {
                for (int i = 0; !go.IsCancellationRequested || i < 5; i++)
                {
                    string key = $"w{w}.k{i}";
                    try
                    {
                        await store.SetAsync(key, i);
                        acknowledged.Add(key);
                    }
                    catch (Exception ex)
                    {
                        failures.Add(ex);
                        return;
                    }
                }
            })).ToArray();

            await Task.Delay(150);
            await store.DisposeAsync();
            await go.CancelAsync();
            await Task.WhenAll(writers).WithTimeout(30);

            Assert.NotEmpty(acknowledged);
            Assert.NotEmpty(failures);
            Assert.All(failures, f => Assert.IsType<ObjectDisposedException>(f));
            using var reopened = new StateStore(new StateStoreOptions { Storage = new FileSystemStorage(folder) });
            foreach (string key in acknowledged)
            {
                Assert.True(reopened.Exists(key), $"{key} was acknowledged, then lost");
            }
        }
        finally
        {
            StorageTestSupport.DeleteDirectory(folder);
        }
    }

    [Fact]
    public async Task BatchAsync_and_DeleteAsync_commit_atomically_and_roll_back_on_exception()
    {
        var storage = new InMemoryStorage();
        await using StateStore store = await StateStore.OpenAsync(new StateStoreOptions { Storage = new ReactiveStore.Tests.WritePath.NonDisposing(storage), DispatchMode = DispatchMode.Inline });
        var events = new List<StateEvent>();
        using Subscription sub = store.Subscribe("*", events.Add);
        var local = new AsyncLocal<string> { Value = "caller" };
        string? seenInBatch = null;
        await store.BatchAsync(w =>
        {
            seenInBatch = local.Value;
            w.Set("a", 1);
            w.Set("b", w.Get<int>("a") + 1);
        });
        Assert.Equal("caller", seenInBatch);
        Assert.Equal(2, store.Get<int>("b"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.BatchAsync(w =>
        {
            w.Set("c", 3);
            throw new InvalidOperationException("no");
        }).AsTask());
        Assert.False(store.Exists("c"));
        Assert.False(storage.TryGet("c", out _));

        Assert.True(await store.DeleteAsync("a"));
        Assert.False(await store.DeleteAsync("a"));
        Assert.False(storage.TryGet("a", out _));
        Assert.Equal([StateEventType.Set, StateEventType.Set, StateEventType.Delete], events.Select(e => e.Type));
    }

    [Fact]
    public async Task A_synchronous_batch_runs_its_delegate_on_the_calling_thread_even_when_others_commit()
    {
        var storage = new GateStorage(new InMemoryStorage());
        await using StateStore store = await StateStore.OpenAsync(new StateStoreOptions { Storage = storage });
        storage.Block();
        Task<StateEntry<int>> blocking = store.SetAsync("first", 1).AsTask();
        await storage.WaitUntilBlockedAsync();

        int delegateThread = 0;
        int callerThread = 0;
        Task batch = Task.Factory.StartNew(
            () =>
            {
                callerThread = Environment.CurrentManagedThreadId;
                store.Batch(w =>
                {
                    delegateThread = Environment.CurrentManagedThreadId;
                    w.Set("second", w.Get<int>("first") + 1);
                });
            },
            TaskCreationOptions.LongRunning);
        await Task.Delay(50);
        storage.Release();
        await Task.WhenAll(blocking, batch).WithTimeout(10);
        Assert.Equal(callerThread, delegateThread);
        Assert.Equal(2, store.Get<int>("second")); // it ran after the first commit, and saw it
    }

    /// <summary>A driver the test can hold inside <see cref="Write"/> (a slow disk, a lock) and make fail once.</summary>
    private sealed class GateStorage(IStateStorage inner) : IStateStorage
    {
        private readonly SemaphoreSlim _entered = new(0);
        private readonly ConcurrentQueue<int> _sizes = new();
        private ManualResetEventSlim? _gate;

        public IStateStorage Inner { get; } = inner;

        public int WriteCalls => _sizes.Count;

        public IReadOnlyCollection<int> BatchSizes => _sizes;

        public bool FailNext { get; set; }

        public void Block() => _gate = new ManualResetEventSlim(false);

        public void Release() => _gate?.Set();

        public async Task WaitUntilBlockedAsync() => Assert.True(await _entered.WaitAsync(TimeSpan.FromSeconds(10)), "the driver was never entered");

        public IEnumerable<KeyValuePair<string, StoredEntry>> ReadAll() => Inner.ReadAll();

        public bool TryGet(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out StoredEntry? entry) => Inner.TryGet(key, out entry);

        public IReadOnlyList<string> Keys(string prefix) => Inner.Keys(prefix);

        public void Write(IReadOnlyList<StorageWrite> writes)
        {
            if (_gate is { } gate)
            {
                _entered.Release();
                gate.Wait(TimeSpan.FromSeconds(30));
                _gate = null;
            }

            if (FailNext)
            {
                FailNext = false;
                throw new IOException("injected write failure");
            }

            _sizes.Enqueue(writes.Count);
            Inner.Write(writes);
        }

        public void Flush() => Inner.Flush();

        public void Dispose() => Inner.Dispose();
    }
}
