namespace ReactiveStore.Tests.Store;

public sealed class BatchTests
{
    [Fact]
    public void A_batch_commits_all_writes_and_delivers_events_after_the_commit_in_write_order()
    {
        using var store = TestSupport.Inline();
        store.Set("a", 0);
        var seen = new List<(string Path, long Version, int A, int B)>();
        using var sub = store.Subscribe("*", e => seen.Add((e.Path.ToString(), e.Version, store.Get<int>("a"), store.Get<int>("b"))));

        store.Batch(w =>
        {
            w.Set("a", 1);
            w.Set("b", 2);
            w.Delete("c");
            w.Ping("p");
            Assert.Empty(seen); // nothing is delivered before the commit
        });

        Assert.Equal([("a", 2L, 1, 2), ("b", 3L, 1, 2), ("p", 4L, 1, 2)], seen);
    }

    [Fact]
    public void Reads_inside_a_batch_see_its_own_writes()
    {
        using var store = TestSupport.Inline();
        store.Set("counter", 1);
        store.Batch(w =>
        {
            w.Set("counter", w.Get<int>("counter") + 1);
            w.Set("counter", w.Get<int>("counter") + 1);
            Assert.True(w.Exists("counter"));
            Assert.True(w.TryGet("counter", out int value));
            Assert.Equal(3, value);
            w.Delete("counter");
            Assert.False(w.Exists("counter"));
        });
        Assert.False(store.Exists("counter"));
    }

    [Fact]
    public void An_exception_rolls_the_batch_back_and_emits_nothing()
    {
        using var store = TestSupport.Inline();
        store.Set("keep.a", 1);
        store.Set("keep.b", 2);
        StateEntry<int> before = store.GetEntry<int>("keep.a")!;
        var events = new List<StateEvent>();
        using var sub = store.Subscribe("*", events.Add);

        var ex = Assert.Throws<InvalidOperationException>(() => store.Batch(w =>
        {
            w.Set("keep.a", 10);
            w.Set("fresh.x", 5);
            w.Delete("keep.b");
            w.Set("keep.b.child", 3);
            throw new InvalidOperationException("boom");
        }));

        Assert.Equal("boom", ex.Message);
        Assert.Empty(events);
        Assert.Same(before, store.GetEntry<int>("keep.a"));
        Assert.Equal(2, store.Get<int>("keep.b"));
        Assert.False(store.Exists("fresh"));
        Assert.Equal(["keep.a", "keep.b"], store.List().Select(p => p.ToString()));

        // The store is fully usable afterwards.
        store.Set("keep.a", 11);
        Assert.Single(events);
    }

    [Fact]
    public void A_failing_write_inside_a_batch_rolls_back_the_earlier_writes()
    {
        using var store = TestSupport.Inline();
        store.Set("x", 1);
        Assert.Throws<VersionConflictException>(() => store.Batch(w =>
        {
            w.Set("y", 1);
            w.Set("x", 2, new SetOptions { ExpectedVersion = 7 }); // compare-and-set fails
        }));
        Assert.False(store.Exists("y"));
        Assert.Equal(1, store.Get<int>("x"));
    }

    [Fact]
    public void A_nested_batch_joins_the_outer_one_and_rolls_back_alone_when_it_throws()
    {
        using var store = TestSupport.Inline();
        var events = new List<StateEvent>();
        using var sub = store.Subscribe("*", events.Add);

        store.Batch(outer =>
        {
            outer.Set("a", 1);
            try
            {
                store.Batch(inner =>
                {
                    inner.Set("b", 2);
                    throw new InvalidOperationException("inner");
                });
            }
            catch (InvalidOperationException)
            {
            }

            store.Batch(inner => inner.Set("c", 3));
        });

        Assert.Equal(["a", "c"], events.Select(e => e.Path.ToString()));
        Assert.False(store.Exists("b"));
    }

    [Fact]
    public void The_writer_cannot_be_used_after_the_batch_or_from_another_thread()
    {
        using var store = TestSupport.Inline();
        IStateWriter? captured = null;
        Exception? fromOtherThread = null;
        store.Batch(w =>
        {
            captured = w;
            var thread = new Thread(() =>
            {
                try
                {
                    w.Set("x", 1);
                }
                catch (Exception ex)
                {
                    fromOtherThread = ex;
                }
            });
            thread.Start();
            thread.Join();
        });

        Assert.IsType<InvalidOperationException>(fromOtherThread);
        var ex = Assert.Throws<InvalidOperationException>(() => captured!.Set("x", 1));
        Assert.Contains("already ended", ex.Message, StringComparison.Ordinal);
        Assert.False(store.Exists("x"));
    }

    [Fact]
    public void Readers_on_other_threads_never_see_a_partial_batch()
    {
        using var store = TestSupport.Inline();
        store.Set("pair.left", 0);
        store.Set("pair.right", 0);
        using var stop = new CancellationTokenSource();
        int torn = 0;
        int reads = 0;
        var reader = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                // Each read is atomic on its own; a batch in progress is never visible half-applied, and the
                // pair only ever moves forward together, so right (read second) can never lag behind left.
                int left = store.Get<int>("pair.left");
                int right = store.Get<int>("pair.right");
                if (right < left)
                {
                    Interlocked.Increment(ref torn);
                }

                Interlocked.Increment(ref reads);
            }
        });
        reader.Start();
        for (int i = 1; i <= 20_000; i++)
        {
            store.Batch(w =>
            {
                w.Set("pair.left", i);
                Thread.SpinWait(20);
                w.Set("pair.right", i);
            });
        }

        stop.Cancel();
        reader.Join();
        Assert.True(reads > 0);
        Assert.Equal(0, torn);
    }
}
