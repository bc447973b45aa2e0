using System.Globalization;
using ReactiveStore.Storage;
using static ReactiveStore.Tests.Storage.StorageTestSupport;

namespace ReactiveStore.Tests.Storage;

/// <summary>Durability is tested, not assumed: the calls that make a write survive power loss are made, and what power loss
/// would leave is checked after every acknowledged write (SIGKILL cannot tell: the page cache survives it).</summary>
public sealed class StorageDurabilityTests : IDisposable
{
    private readonly string _dir = NewTempDirectory();

    public void Dispose() => DeleteDirectory(_dir);

    /// <summary>Commits that exercise every durability path of the file driver: new nested folders, overwrites, deletes that
    /// prune folders, a value beside descendants, encoded names, long keys in their own folder.</summary>
    private static readonly StorageWrite[][] s_commits =
    [
        [Set("a", "1", 1)],
        [Set("a.b.c", "1", 1)],
        [Set("a", "2", 2)],
        [Set("x.y", "1", 1), Set("x.z", "1", 1), Set("Theme.Deep.Key", "1", 1)],
        [Delete("a.b.c")],
        [Set("a.b", "1", 1), Delete("x.y")],
        [Set("long." + new string('L', 300), "1", 1)],
        [Set("long." + new string('L', 300) + ".child", "1", 1), Set("con.nul", "1", 1)],
        [Delete("long." + new string('L', 300)), Set("x.y.w", "1", 1)],
        [Delete("Theme.Deep.Key"), Delete("x.z"), Set("a.b", "2", 2)],
        [Delete("a"), Delete("a.b"), Set("fresh.start", "1", 1)],
    ];

    [Fact]
    public void FileSystem_with_FlushToDisk_loses_no_acknowledged_write_to_a_power_loss()
    {
        var files = new PowerLossFileOperations(Path.Combine(_dir, "live"));
        using var storage = new FileSystemStorage(Path.Combine(_dir, "live"), new FileSystemStorageOptions(), files);
        var expected = new SortedDictionary<string, long>(StringComparer.Ordinal);
        for (int step = 0; step < s_commits.Length; step++)
        {
            int callsBefore = files.Calls.Count;
            storage.Write(s_commits[step]);
            Apply(expected, s_commits[step]);
            Assert.True(files.Calls.Count > callsBefore, $"commit {step} made no durability call");

            // Power fails right after Write returned: what was acknowledged must be there, and nothing else torn.
            Assert.Equal(expected, AfterPowerLoss(files, step));
        }

        Assert.NotEmpty(expected);
        Assert.Contains(files.Calls, c => c.StartsWith("fsync-file ", StringComparison.Ordinal));
        Assert.Contains(files.Calls, c => c.StartsWith("fsync-dir ", StringComparison.Ordinal));
    }

    [Fact]
    public void FileSystem_without_FlushToDisk_is_shown_to_lose_writes_to_a_power_loss()
    {
        // The check above must be able to fail: without fsyncs the same model loses acknowledged writes (as the docs say).
        var files = new PowerLossFileOperations(Path.Combine(_dir, "live"));
        using var storage = new FileSystemStorage(Path.Combine(_dir, "live"), new FileSystemStorageOptions { FlushToDisk = false }, files);
        var expected = new SortedDictionary<string, long>(StringComparer.Ordinal);
        int lossy = 0;
        for (int step = 0; step < s_commits.Length; step++)
        {
            storage.Write(s_commits[step]);
            Apply(expected, s_commits[step]);
            lossy += expected.SequenceEqual(AfterPowerLoss(files, step)) ? 0 : 1;
        }

        Assert.Empty(files.Calls);
        Assert.Equal(s_commits.Length, lossy);
    }

    [Fact]
    public void Caching_over_a_durable_file_system_loses_nothing_flushed_to_a_power_loss()
    {
        var files = new PowerLossFileOperations(Path.Combine(_dir, "live"));
        using var cache = new CachingStorage(new FileSystemStorage(Path.Combine(_dir, "live"), new FileSystemStorageOptions(), files), new CachingOptions());
        var expected = new SortedDictionary<string, long>(StringComparer.Ordinal);
        for (int step = 0; step < s_commits.Length; step++)
        {
            cache.Write(s_commits[step]);
            Apply(expected, s_commits[step]);
            if (step % 3 == 2 || step == s_commits.Length - 1)
            {
                // The caching driver promises durability after Flush(), as its inner driver's mode says.
                cache.Flush();
                Assert.Equal(expected, AfterPowerLoss(files, step));
            }
        }

        Assert.NotEmpty(expected);
    }

    [Theory]
    [InlineData(SqliteSynchronous.Full, 2L)]
    [InlineData(SqliteSynchronous.Normal, 1L)]
    public void Sqlite_runs_the_promised_synchronous_mode_and_wal_on_the_live_connection(SqliteSynchronous mode, long expected)
    {
        // PRAGMA synchronous: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA. Full is what survives power loss; Normal in WAL mode survives a process crash.
        using var storage = new SqliteStorage(Path.Combine(_dir, "state.db"), new SqliteStorageOptions { Synchronous = mode });
        Assert.Equal(expected, storage.ReadPragma("synchronous"));
        Assert.Equal("wal", storage.ReadPragma("journal_mode"));
        storage.Write(Set("a", "1"), Set("b", "2"));
        storage.Flush();
        Assert.Equal(expected, storage.ReadPragma("synchronous"));
        Assert.Equal("wal", storage.ReadPragma("journal_mode"));
    }

    [Fact]
    public void Sqlite_read_only_connections_see_the_database_in_wal_mode()
    {
        string path = Path.Combine(_dir, "state.db");
        using var writer = new SqliteStorage(path);
        writer.Write(Set("a", "1"));
        using var reader = new SqliteStorage(path, new SqliteStorageOptions { ReadOnly = true });
        Assert.Equal("wal", reader.ReadPragma("journal_mode"));
    }

    private static void Apply(SortedDictionary<string, long> expected, StorageWrite[] commit)
    {
        foreach (StorageWrite write in commit)
        {
            if (write.Entry is { } entry)
            {
                expected[write.Key] = entry.Metadata.Version;
            }
            else
            {
                expected.Remove(write.Key);
            }
        }
    }

    private SortedDictionary<string, long> AfterPowerLoss(PowerLossFileOperations files, int step)
    {
        string target = Path.Combine(_dir, "after-" + step.ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..6]);
        files.MaterializeAfterPowerLoss(target);
        using var reopened = new FileSystemStorage(target);
        var found = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach ((string key, StoredEntry entry) in reopened.ReadAll())
        {
            // A corrupt file (data renamed into place before it was synced) counts as lost.
            if (entry.Corruption is null)
            {
                found[key] = entry.Metadata.Version;
            }
        }

        return found;
    }
}
