namespace ReactiveStore.Tests.WritePath;

public sealed class CompareAndSetTests
{
    [Fact]
    public void A_matching_expected_version_writes()
    {
        using var store = TestSupport.Inline();
        store.Set("n", 1);
        StateEntry<int> entry = store.Set("n", 2, new SetOptions { ExpectedVersion = 1 });
        Assert.Equal(2, entry.Metadata.Version);
        Assert.Equal(2, store.Get<int>("n"));
    }

    [Fact]
    public void A_mismatch_throws_VersionConflictException_and_writes_nothing()
    {
        using var store = TestSupport.Inline();
        store.Set("n", 1);
        store.Set("n", 2);
        var events = new List<StateEvent>();
        using var sub = store.Subscribe("n", events.Add);

        var ex = Assert.Throws<VersionConflictException>(() => store.Set("n", 3, new SetOptions { ExpectedVersion = 1 }));

        Assert.Equal(1, ex.ExpectedVersion);
        Assert.Equal(2, ex.ActualVersion);
        Assert.Equal("n", ex.Path.ToString());
        Assert.Contains("expected version 1 but found version 2", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, store.Get<int>("n"));
        Assert.Equal(2, store.GetEntry<int>("n")!.Metadata.Version);
        Assert.Empty(events);
    }

    [Fact]
    public void Expected_version_zero_means_create_only()
    {
        using var store = TestSupport.Inline();
        store.Set("fresh", "a", new SetOptions { ExpectedVersion = 0 });
        var ex = Assert.Throws<VersionConflictException>(() => store.Set("fresh", "b", new SetOptions { ExpectedVersion = 0 }));
        Assert.Contains("expected no entry but found version 1", ex.Message, StringComparison.Ordinal);
        Assert.Throws<VersionConflictException>(() => store.Set("missing", "b", new SetOptions { ExpectedVersion = 3 }));
        Assert.False(store.Exists("missing"));
    }

    [Fact]
    public void A_conflict_inside_a_batch_rolls_the_batch_back()
    {
        using var store = TestSupport.Inline();
        store.Set("a", 1);
        store.Set("b", 1);
        Assert.Throws<VersionConflictException>(() => store.Batch(w =>
        {
            w.Set("a", 2);
            w.Set("b", 2, new SetOptions { ExpectedVersion = 7 });
        }));
        Assert.Equal(1, store.Get<int>("a"));
        Assert.Equal(1, store.GetEntry<int>("a")!.Metadata.Version);
    }

    [Fact]
    public void Concurrent_compare_and_set_increments_never_lose_an_update()
    {
        using var store = new StateStore(new StateStoreOptions { HashingService = null });
        store.Set("counter", 0);
        int conflicts = 0;
        Parallel.For(0, 4, _ =>
        {
            for (int done = 0; done < 500;)
            {
                StateEntry<int> current = store.GetEntry<int>("counter")!;
                try
                {
                    store.Set("counter", current.Value + 1, new SetOptions { ExpectedVersion = current.Metadata.Version });
                    done++;
                }
                catch (VersionConflictException)
                {
                    Interlocked.Increment(ref conflicts);
                }
            }
        });
        Assert.Equal(2000, store.Get<int>("counter"));
        Assert.Equal(2001, store.GetEntry<int>("counter")!.Metadata.Version);
    }
}
