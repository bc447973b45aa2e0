namespace ReactiveStore.Tests.Store;

public sealed class ShutdownTests
{
    [Fact]
    public void Shutdown_delivers_everything_already_queued_first()
    {
        var store = TestSupport.Background();
        var seen = new List<long>();
        using var sub = store.Subscribe("n", e =>
        {
            Thread.Sleep(1);
            seen.Add(e.Version);
        });
        for (int i = 1; i <= 50; i++)
        {
            store.Set("n", i);
        }

        store.Shutdown();
        Assert.Equal(50, seen.Count);
        Assert.Throws<ObjectDisposedException>(() => store.Set("n", 100));
    }

    [Fact]
    public async Task Concurrent_writes_and_dispose_either_commit_and_deliver_or_throw_ObjectDisposedException()
    {
        for (int round = 0; round < 20; round++)
        {
            var store = TestSupport.Background();
            long delivered = 0;
            using var sub = store.Subscribe("*", _ => Interlocked.Increment(ref delivered));
            long committed = 0;
            var writers = Enumerable.Range(0, 3).Select(w => Task.Run(() =>
            {
                for (int i = 0; i < 2_000; i++)
                {
                    try
                    {
                        store.Set($"w{w}", i + 1);
                        Interlocked.Increment(ref committed);
                    }
                    catch (ObjectDisposedException)
                    {
                        return;
                    }
                }
            })).ToArray();
            await Task.Delay(round % 5);
            await store.DisposeAsync().AsTask().WithTimeout();
            await Task.WhenAll(writers).WithTimeout();

            // Every write that returned was delivered before disposal completed.
            Assert.Equal(Interlocked.Read(ref committed), Interlocked.Read(ref delivered));
            Assert.Equal(committed, store.Version);
        }
    }

    [Fact]
    public async Task Shutdown_from_inside_a_callback_does_not_deadlock()
    {
        var store = TestSupport.Background();
        var done = new TaskCompletionSource();
        using var sub = store.Subscribe("stop", _ =>
        {
            store.Shutdown();
            done.TrySetResult();
        });
        store.Set("stop", true);
        await done.Task.WithTimeout();
        await store.DisposeAsync().AsTask().WithTimeout();
        Assert.True(store.IsDisposed);
    }

    [Fact]
    public void Inline_shutdown_from_inside_a_callback_does_not_deadlock()
    {
        var store = TestSupport.Inline();
        using var sub = store.Subscribe("stop", _ => store.Shutdown());
        store.Set("stop", true);
        Assert.True(store.IsDisposed);
    }

    [Fact]
    public async Task Dispose_and_DisposeAsync_are_idempotent_and_concurrent_calls_all_wait()
    {
        var store = TestSupport.Background();
        int delivered = 0;
        using var sub = store.Subscribe("n", _ =>
        {
            Thread.Sleep(2);
            Interlocked.Increment(ref delivered);
        });
        for (int i = 0; i < 20; i++)
        {
            store.Set("n", i + 1);
        }

        Task[] closers = [Task.Run(store.Dispose), store.DisposeAsync().AsTask(), Task.Run(store.Shutdown)];
        await Task.WhenAll(closers).WithTimeout();

        // Whichever call returned first, all 20 events had been delivered by then.
        Assert.Equal(20, Volatile.Read(ref delivered));
        await store.DisposeAsync();
        store.Dispose();
    }
}
