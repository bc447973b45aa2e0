using Microsoft.Extensions.Logging;
using ReactiveStore.Storage;
using static ReactiveStore.Tests.Storage.StorageTestSupport;

namespace ReactiveStore.Tests.Storage;

/// <summary>What is specific to <see cref="CachingStorage"/>: buffering, coalescing, each flush trigger, failed flushes, lazy loading.</summary>
public sealed class CachingStorageTests : IDisposable
{
    private readonly string _dir = NewTempDirectory();

    public void Dispose() => DeleteDirectory(_dir);

    [Fact]
    public void A_set_the_inner_driver_refused_is_not_cached_and_not_on_disk_after_a_restart()
    {
        var inner = new ProbeStorage(new FileSystemStorage(_dir));
        var cache = new CachingStorage(inner, new CachingOptions { FlushOnWrite = true });
        cache.Write(Set("a", "1", 1));
        cache.Write(Set("old", "1", 1));
        cache.Write(Delete("old"));
        Assert.Equal(1, cache.PendingCount);

        inner.FailWrites = true;
        Assert.Throws<IOException>(() => cache.Write([Set("a", "2", 2), Set("b", "1")]));

        // The cache is exactly as before the call; the earlier buffered delete is still buffered.
        Assert.True(cache.TryGet("a", out StoredEntry? a));
        Assert.Equal(1, a.Metadata.Version);
        Assert.False(cache.TryGet("b", out _));
        Assert.Equal(["a"], cache.Keys(""));
        Assert.Equal(["a"], cache.ReadAll().Select(p => p.Key));

        inner.FailWrites = false;
        cache.Dispose();
        using var restarted = new FileSystemStorage(_dir);
        Assert.Equal(["a"], restarted.Keys(""));
        Assert.True(restarted.TryGet("a", out StoredEntry? onDisk));
        Assert.Equal(1, onDisk.Metadata.Version);
    }

    [Fact]
    public void A_delete_the_inner_driver_refused_is_not_cached_and_not_on_disk_after_a_restart()
    {
        var inner = new ProbeStorage(new FileSystemStorage(_dir));
        var cache = new CachingStorage(inner, new CachingOptions { FlushOnDelete = true });
        cache.Write(Set("a", "1", 1));
        cache.Flush();
        cache.Write(Set("c", "1", 1));

        inner.FailWrites = true;
        Assert.Throws<IOException>(() => cache.Write(Delete("a")));
        Assert.True(cache.TryGet("a", out _));
        Assert.True(cache.TryGet("c", out _));

        inner.FailWrites = false;
        cache.Dispose();
        using var restarted = new FileSystemStorage(_dir);
        Assert.Equal(["a", "c"], restarted.Keys(""));
    }

    [Fact]
    public void A_refused_write_the_inner_driver_applied_in_part_is_put_back_by_the_next_flush()
    {
        var inner = new ProbeStorage(new FileSystemStorage(_dir));
        using (var cache = new CachingStorage(inner, new CachingOptions { FlushOnWrite = true }))
        {
            cache.Write(Set("a", "1", 1));

            // A driver that is not atomic across keys (the file system) wrote the first key before failing.
            inner.FailWrites = true;
            inner.AppliedBeforeFailing = 1;
            Assert.Throws<IOException>(() => cache.Write([Set("a", "2", 2), Set("b", "1")]));
            Assert.True(inner.Inner.TryGet("a", out StoredEntry? torn));
            Assert.Equal(2, torn.Metadata.Version);
            Assert.True(cache.TryGet("a", out StoredEntry? cached));
            Assert.Equal(1, cached.Metadata.Version);

            inner.FailWrites = false;
            cache.Flush();
        }

        using var restarted = new FileSystemStorage(_dir);
        Assert.Equal(["a"], restarted.Keys(""));
        Assert.True(restarted.TryGet("a", out StoredEntry? a));
        Assert.Equal(1, a.Metadata.Version);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_write_buffered_while_a_write_through_is_in_flight_stays_the_newest(bool innerFails)
    {
        using var inFlight = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var inner = new ProbeStorage();
        using var cache = new CachingStorage(inner, new CachingOptions { FlushOnWrite = true });
        cache.Write(Set("k", "0", 1));
        inner.BeforeWrite = () =>
        {
            inFlight.Set();
            release.Wait();
        };
        inner.FailWrites = innerFails;

        Task through = Task.Run(() => cache.Write(Set("k", "1", 2)));
        Assert.True(inFlight.Wait(TimeSpan.FromSeconds(10)));
        inner.BeforeWrite = null;
        cache.Write(Delete("k"));
        release.Set();
        if (innerFails)
        {
            await Assert.ThrowsAsync<IOException>(() => through);
        }
        else
        {
            await through;
        }

        inner.FailWrites = false;
        Assert.False(cache.TryGet("k", out _));
        cache.Flush();
        Assert.False(inner.Inner.TryGet("k", out _));
    }

    [Fact]
    public void Writes_are_buffered_served_from_the_cache_and_coalesced_per_key()
    {
        var inner = new ProbeStorage();
        using var cache = new CachingStorage(inner, new CachingOptions());
        cache.Write(Set("a", "1", 1));
        cache.Write(Set("a", "2", 2));
        cache.Write([Set("b", "1"), Set("a", "3", 3), Delete("b")]);

        Assert.Equal(0, inner.WriteCalls);
        Assert.Empty(inner.Inner.Keys(""));
        Assert.Equal(2, cache.PendingCount);
        Assert.True(cache.TryGet("a", out StoredEntry? a));
        Assert.Equal(3, a.Metadata.Version);
        Assert.Equal(["a"], cache.Keys(""));

        cache.Flush();
        Assert.Equal(1, inner.WriteCalls);
        IReadOnlyList<StorageWrite> batch = Assert.Single(inner.Batches);
        Assert.Equal(2, batch.Count);
        Assert.Equal(3, batch[0].Entry!.Metadata.Version);
        Assert.True(batch[1].IsDelete);
        Assert.Equal(0, cache.PendingCount);
        Assert.Equal(["a"], inner.Inner.Keys(""));

        cache.Flush();
        Assert.Equal(1, inner.WriteCalls);
    }

    [Fact]
    public void Reads_load_the_inner_driver_once_with_buffered_writes_on_top()
    {
        var inner = new ProbeStorage();
        inner.Inner.Write([Set("old", "1"), Set("gone", "1"), Set("over", "1", 1)]);
        using var cache = new CachingStorage(inner, new CachingOptions());
        cache.Write([Set("new", "1"), Delete("gone"), Set("over", "2", 2)]);
        Assert.Equal(0, inner.ReadCalls);

        Assert.Equal(["new", "old", "over"], cache.Keys(""));
        Assert.True(cache.TryGet("over", out StoredEntry? over));
        Assert.Equal(2, over.Metadata.Version);
        Assert.False(cache.TryGet("gone", out _));
        Assert.Equal(3, cache.ReadAll().Count());
        Assert.Equal(1, inner.ReadCalls);
    }

    [Fact]
    public void FlushOnWrite_flushes_sets_but_not_deletes()
    {
        var inner = new ProbeStorage();
        using var cache = new CachingStorage(inner, new CachingOptions { FlushOnWrite = true });
        cache.Write(Set("a", "1"));
        Assert.True(inner.Inner.TryGet("a", out _));
        cache.Write(Delete("a"));
        Assert.True(inner.Inner.TryGet("a", out _));
        Assert.Equal(1, cache.PendingCount);
        cache.Write(Set("b", "1"));
        Assert.False(inner.Inner.TryGet("a", out _));
        Assert.Equal(0, cache.PendingCount);
    }

    [Fact]
    public void FlushOnDelete_flushes_deletes_but_not_sets()
    {
        var inner = new ProbeStorage();
        using var cache = new CachingStorage(inner, new CachingOptions { FlushOnDelete = true });
        cache.Write(Set("a", "1"));
        Assert.False(inner.Inner.TryGet("a", out _));
        cache.Write(Delete("zzz"));
        Assert.True(inner.Inner.TryGet("a", out _));
        Assert.Equal(0, cache.PendingCount);
    }

    [Fact]
    public void FlushOnRead_flushes_before_each_read()
    {
        var inner = new ProbeStorage();
        using var cache = new CachingStorage(inner, new CachingOptions { FlushOnRead = true });
        cache.Write(Set("a", "1"));
        Assert.False(inner.Inner.TryGet("a", out _));
        Assert.True(cache.TryGet("a", out _));
        Assert.True(inner.Inner.TryGet("a", out _));
        cache.Write(Set("b", "1"));
        _ = cache.Keys("");
        Assert.True(inner.Inner.TryGet("b", out _));
        cache.Write(Set("c", "1"));
        _ = cache.ReadAll();
        Assert.True(inner.Inner.TryGet("c", out _));
    }

    [Fact]
    public void The_interval_timer_flushes_on_the_time_providers_clock()
    {
        var time = new FakeTimeProvider();
        var inner = new ProbeStorage();
        using (var cache = new CachingStorage(inner, new CachingOptions { FlushInterval = TimeSpan.FromSeconds(5), TimeProvider = time }))
        {
            Assert.Equal(1, time.ActiveTimers);
            cache.Write(Set("a", "1"));
            time.Advance(TimeSpan.FromSeconds(4));
            Assert.Equal(0, inner.WriteCalls);
            time.Advance(TimeSpan.FromSeconds(1));
            Assert.Equal(1, inner.WriteCalls);
            Assert.True(inner.Inner.TryGet("a", out _));

            time.Advance(TimeSpan.FromSeconds(5));
            Assert.Equal(1, inner.WriteCalls);
            cache.Write(Set("b", "1"));
            cache.Write(Set("c", "1"));
            time.Advance(TimeSpan.FromSeconds(5));
            Assert.Equal(2, inner.WriteCalls);
            Assert.Equal(2, inner.Batches[1].Count);
        }

        Assert.Equal(0, time.ActiveTimers);
    }

    [Fact]
    public void A_failed_flush_keeps_the_buffered_writes_and_rethrows()
    {
        var inner = new ProbeStorage { FailWrites = true };
        using var cache = new CachingStorage(inner, new CachingOptions());
        cache.Write([Set("a", "1", 1), Set("b", "1", 1)]);
        Assert.Throws<IOException>(cache.Flush);
        Assert.Equal(2, cache.PendingCount);

        cache.Write([Set("b", "2", 2), Set("c", "1")]);
        Assert.Throws<IOException>(cache.Flush);
        Assert.Equal(3, cache.PendingCount);

        inner.FailWrites = false;
        cache.Flush();
        Assert.Equal(0, cache.PendingCount);
        Assert.Equal(["a", "b", "c"], inner.Inner.Keys(""));
        Assert.True(inner.Inner.TryGet("b", out StoredEntry? b));
        Assert.Equal(2, b.Metadata.Version);
    }

    [Fact]
    public void A_failed_timed_flush_is_logged_and_retried_on_the_next_tick()
    {
        using var logs = new CollectingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        var time = new FakeTimeProvider();
        var inner = new ProbeStorage { FailWrites = true };
        using var cache = new CachingStorage(inner, new CachingOptions { FlushInterval = TimeSpan.FromSeconds(1), TimeProvider = time, Logger = factory.CreateLogger<CachingStorage>() });
        cache.Write(Set("a", "1"));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, cache.PendingCount);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Error && e.Exception is IOException);

        inner.FailWrites = false;
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, cache.PendingCount);
        Assert.True(inner.Inner.TryGet("a", out _));
    }

    [Fact]
    public void Dispose_flushes_and_disposes_the_inner_driver()
    {
        var inner = new ProbeStorage();
        var cache = new CachingStorage(inner, new CachingOptions());
        cache.Write(Set("a", "1"));
        int callsBefore = inner.WriteCalls;
        cache.Dispose();
        Assert.Equal(callsBefore + 1, inner.WriteCalls);
        Assert.True(inner.IsDisposed);
    }

    [Fact]
    public async Task Writers_keep_going_while_a_flush_writes()
    {
        var inner = new InMemoryStorage();
        using var cache = new CachingStorage(inner, new CachingOptions());
        using var stop = new CancellationTokenSource();
        Task flusher = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                cache.Flush();
            }
        });
        Parallel.For(0, 4, t =>
        {
            for (int i = 1; i <= 500; i++)
            {
                cache.Write(Set($"t{t}.k{i % 7}", "1", i));
            }
        });
        stop.Cancel();
        await flusher.WaitAsync(TimeSpan.FromSeconds(10));
        cache.Flush();
        Assert.Equal(28, inner.Keys("").Count);
        Assert.All(inner.ReadAll(), p => Assert.True(p.Value.Metadata.Version >= 494));
        Assert.Equal(cache.ReadAll().Select(p => (p.Key, p.Value.Metadata.Version)), inner.ReadAll().Select(p => (p.Key, p.Value.Metadata.Version)));
    }

    [Fact]
    public void Options_validate_their_values()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CachingOptions { FlushInterval = TimeSpan.Zero });
        Assert.Throws<ArgumentNullException>(() => new CachingOptions { TimeProvider = null! });
        Assert.Throws<ArgumentNullException>(() => new CachingStorage(null!, new CachingOptions()));
        Assert.Throws<ArgumentNullException>(() => new CachingStorage(new InMemoryStorage(), null!));
    }
}
