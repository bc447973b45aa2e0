using ReactiveStore.Storage;
using static ReactiveStore.Tests.Storage.StorageTestSupport;

namespace ReactiveStore.Tests.Storage;

/// <summary>What is specific to <see cref="HybridStorage"/>: ownership by the longest prefix, merging, mount rules, splitting commits.</summary>
public sealed class HybridStorageTests
{
    [Fact]
    public void The_longest_mounted_prefix_owns_a_key_and_everything_below_it()
    {
        var root = new InMemoryStorage();
        var a = new InMemoryStorage();
        var ab = new InMemoryStorage();
        using var hybrid = new HybridStorage(root);
        hybrid.Mount("a", a);
        hybrid.Mount("a.b", ab);

        Assert.Same(a, hybrid.GetOwner("a"));
        Assert.Same(a, hybrid.GetOwner("a.c"));
        Assert.Same(ab, hybrid.GetOwner("a.b"));
        Assert.Same(ab, hybrid.GetOwner("a.b.c.d"));
        Assert.Same(root, hybrid.GetOwner("ab"));
        Assert.Same(root, hybrid.GetOwner("a_b"));
        Assert.Same(root, hybrid.GetOwner("z"));

        hybrid.Write([Set("a", "1"), Set("a.c", "1"), Set("a.b", "1"), Set("a.b.c", "1"), Set("ab", "1"), Set("z", "1")]);
        Assert.Equal(["a", "a.c"], a.Keys(""));
        Assert.Equal(["a.b", "a.b.c"], ab.Keys(""));
        Assert.Equal(["ab", "z"], root.Keys(""));
        Assert.Equal(["a", "a.b", "a.b.c", "a.c", "ab", "z"], hybrid.Keys(""));
        Assert.Equal(["a", "a.b", "a.b.c", "a.c"], hybrid.Keys("a"));
        Assert.Equal(["a.b.c"], hybrid.Keys("a.b.c"));
        Assert.Equal(["a", "a.b", "a.b.c", "a.c", "ab", "z"], hybrid.ReadAll().Select(p => p.Key));
    }

    [Fact]
    public void Keys_a_driver_does_not_own_are_never_listed()
    {
        var root = new InMemoryStorage();
        root.Write([Set("m.x", "\"root's\""), Set("m", "\"root's\""), Set("n", "1")]);
        using var mount = new InMemoryStorage();
        mount.Write([Set("m.y", "\"mount's\""), Set("elsewhere", "\"stray\"")]);
        using var hybrid = new HybridStorage(root);
        hybrid.Mount("m", mount, leaveOpen: true);

        Assert.Equal(["m.y", "n"], hybrid.Keys(""));
        Assert.Equal(["m.y"], hybrid.Keys("m"));
        Assert.Equal(["m.y", "n"], hybrid.ReadAll().Select(p => p.Key));
        Assert.False(hybrid.TryGet("m.x", out _));
        Assert.False(hybrid.TryGet("elsewhere", out _));

        Assert.True(hybrid.Unmount("m"));
        Assert.Equal(["m", "m.x", "n"], hybrid.Keys(""));
        Assert.False(mount.Keys("").Count == 0);
    }

    [Fact]
    public void Mount_rules_are_enforced_with_clear_exceptions()
    {
        using var hybrid = new HybridStorage(new InMemoryStorage());
        hybrid.Mount("a.b", new InMemoryStorage());
        var duplicate = Assert.Throws<InvalidOperationException>(() => hybrid.Mount("a.b", new InMemoryStorage()));
        Assert.Contains("'a.b'", duplicate.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidPathException>(() => hybrid.Mount("", new InMemoryStorage()));
        Assert.Throws<InvalidPathException>(() => hybrid.Mount("a..b", new InMemoryStorage()));
        Assert.Throws<InvalidPathException>(() => hybrid.Mount("a.*", new InMemoryStorage()));
        Assert.Throws<ArgumentNullException>(() => hybrid.Mount(null!, new InMemoryStorage()));
        Assert.Throws<ArgumentNullException>(() => hybrid.Mount("x", null!));
        Assert.Throws<ArgumentException>(() => hybrid.Mount("x", hybrid));
        Assert.False(hybrid.Unmount("nothing.here"));
        Assert.False(hybrid.Unmount("a"));
        Assert.Equal(["a.b"], hybrid.MountedPrefixes);
        Assert.True(hybrid.Unmount("a.b"));
        Assert.Empty(hybrid.MountedPrefixes);
        hybrid.Mount("a.b", new InMemoryStorage());
    }

    [Fact]
    public void A_commit_is_split_by_owner_in_order_and_is_not_atomic_across_drivers()
    {
        var root = new ProbeStorage();
        var mount = new ProbeStorage();
        using var hybrid = new HybridStorage(root);
        hybrid.Mount("m", mount);

        hybrid.Write([Set("r1", "1"), Set("m.a", "1"), Set("r2", "1"), Delete("m.a"), Set("m.b", "1")]);
        Assert.Equal(1, root.WriteCalls);
        Assert.Equal(1, mount.WriteCalls);
        Assert.Equal(["r1", "r2"], root.Batches[0].Select(w => w.Key));
        Assert.Equal(["m.a", "m.a", "m.b"], mount.Batches[0].Select(w => w.Key));
        Assert.Equal(["m.b", "r1", "r2"], hybrid.Keys(""));

        mount.FailWrites = true;
        Assert.Throws<IOException>(() => hybrid.Write([Set("r3", "1"), Set("m.c", "1")]));
        Assert.True(hybrid.TryGet("r3", out _));
        Assert.False(hybrid.TryGet("m.c", out _));
    }

    [Fact]
    public void The_hybrid_disposes_what_it_owns_on_Unmount_and_on_Dispose_once_each()
    {
        var root = new ProbeStorage();
        var kept = new ProbeStorage();
        var unmounted = new ProbeStorage();
        var hybrid = new HybridStorage(root);
        hybrid.Mount("k", kept);
        hybrid.Mount("k.again", kept);
        hybrid.Mount("u", unmounted);
        hybrid.Mount("r", root);
        Assert.True(hybrid.Unmount("u"));
        Assert.Equal(1, unmounted.DisposeCount);

        // A driver still mounted elsewhere, or the root, stays open when one of its mounts goes.
        Assert.True(hybrid.Unmount("k.again"));
        Assert.True(hybrid.Unmount("r"));
        Assert.False(kept.IsDisposed);
        Assert.False(root.IsDisposed);

        hybrid.Dispose();
        Assert.Equal(1, root.DisposeCount);
        Assert.Equal(1, kept.DisposeCount);
        Assert.Equal(1, unmounted.DisposeCount);
        Assert.Throws<ObjectDisposedException>(() => hybrid.Mount("x", new InMemoryStorage()));
        Assert.Throws<ObjectDisposedException>(() => hybrid.Unmount("k"));
    }

    [Fact]
    public void Drivers_given_with_leaveOpen_are_never_disposed_by_the_hybrid()
    {
        var root = new ProbeStorage();
        var borrowed = new ProbeStorage();
        var borrowedTwice = new ProbeStorage();
        var hybrid = new HybridStorage(root, leaveRootOpen: true);
        hybrid.Mount("b", borrowed, leaveOpen: true);
        hybrid.Mount("t1", borrowedTwice, leaveOpen: true);
        hybrid.Mount("t2", borrowedTwice, leaveOpen: true);
        var mixed = Assert.Throws<ArgumentException>(() => hybrid.Mount("t3", borrowedTwice));
        Assert.Contains("leaveOpen", mixed.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => hybrid.Mount("r", root, leaveOpen: false));

        Assert.True(hybrid.Unmount("b"));
        hybrid.Dispose();
        Assert.False(root.IsDisposed);
        Assert.False(borrowed.IsDisposed);
        Assert.False(borrowedTwice.IsDisposed);
        borrowed.Write([Set("still.usable", "1")]);
    }

    [Fact]
    public void An_unmounted_folder_can_be_opened_again()
    {
        string dir = NewTempDirectory();
        try
        {
            using var hybrid = new HybridStorage(new InMemoryStorage());
            hybrid.Mount("config", new FileSystemStorage(dir));
            hybrid.Write([Set("config.theme", "1", 1)]);
            Assert.True(hybrid.Unmount("config"));

            using var reopened = new FileSystemStorage(dir);
            Assert.True(reopened.TryGet("config.theme", out StoredEntry? theme));
            Assert.Equal(1, theme.Metadata.Version);

            // Mounted again with leaveOpen, the caller keeps the folder open after the unmount.
            hybrid.Mount("config", reopened, leaveOpen: true);
            Assert.True(hybrid.Unmount("config"));
            reopened.Write([Set("config.theme", "2", 2)]);
        }
        finally
        {
            DeleteDirectory(dir);
        }
    }

    [Fact]
    public void Dispose_disposes_every_owned_driver_even_when_one_throws()
    {
        var failing = new CachingStorage(new ProbeStorage { FailWrites = true }, new CachingOptions());
        failing.Write([Set("x", "1")]);
        var after = new ProbeStorage();
        var hybrid = new HybridStorage(new InMemoryStorage());
        hybrid.Mount("a", failing);
        hybrid.Mount("b", after);
        Assert.Throws<IOException>(hybrid.Dispose);
        Assert.True(after.IsDisposed);
    }

    [Fact]
    public void One_driver_mounted_at_two_prefixes_lists_each_key_once()
    {
        var shared = new InMemoryStorage();
        using var hybrid = new HybridStorage(new InMemoryStorage());
        hybrid.Mount("p", shared);
        hybrid.Mount("q", shared);
        hybrid.Write([Set("p.x", "1"), Set("q.y", "1")]);
        Assert.Equal(["p.x", "q.y"], hybrid.Keys(""));
        Assert.Equal(["p.x", "q.y"], hybrid.ReadAll().Select(p => p.Key));
    }

    [Fact]
    public async Task Mounting_while_other_threads_write_and_read_is_safe()
    {
        using var hybrid = new HybridStorage(new InMemoryStorage());
        using var stop = new CancellationTokenSource();
        Task worker = Task.Run(() =>
        {
            int i = 0;
            while (!stop.IsCancellationRequested)
            {
                hybrid.Write([Set($"m.k{i % 10}", "1"), Set($"r.k{i % 10}", "1")]);
                _ = hybrid.Keys("");
                _ = hybrid.TryGet("m.k1", out _);
                i++;
            }
        });
        for (int i = 0; i < 200; i++)
        {
            hybrid.Mount("m", new InMemoryStorage());
            Assert.True(hybrid.Unmount("m"));
        }

        stop.Cancel();
        await worker.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
