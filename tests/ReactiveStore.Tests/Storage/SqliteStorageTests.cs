using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using ReactiveStore.Storage;
using static ReactiveStore.Tests.Storage.StorageTestSupport;

namespace ReactiveStore.Tests.Storage;

/// <summary>What is specific to <see cref="SqliteStorage"/>: WAL, the schema check, transactions, corrupt rows, sharing the file.</summary>
public sealed class SqliteStorageTests : IDisposable
{
    private readonly string _dir = NewTempDirectory();

    private string DbPath => Path.Combine(_dir, "state.db");

    public void Dispose() => DeleteDirectory(_dir);

    private SqliteConnection Raw()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DbPath, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    [Fact]
    public void Creates_one_file_in_wal_mode_with_the_schema_version()
    {
        using var storage = new SqliteStorage(DbPath);
        storage.Write(Set("a.b", """{"x":1}""", 3));
        using SqliteConnection raw = Raw();
        Assert.Equal("wal", Scalar(raw, "PRAGMA journal_mode;"));
        Assert.Equal((long)SqliteStorage.SchemaVersion, Scalar(raw, "PRAGMA user_version;"));
        Assert.Equal((long)SqliteStorage.ApplicationId, Scalar(raw, "PRAGMA application_id;"));
        Assert.Equal(3L, Scalar(raw, "SELECT version FROM entries WHERE key = 'a.b';"));
        Assert.Equal("""{"x":1}""", System.Text.Encoding.UTF8.GetString((byte[])Scalar(raw, "SELECT value FROM entries WHERE key = 'a.b';")!));
        Assert.StartsWith("{\"version\":3", (string)Scalar(raw, "SELECT metadata FROM entries WHERE key = 'a.b';")!, StringComparison.Ordinal);
    }

    [Fact]
    public void A_newer_schema_version_is_refused_with_a_clear_message()
    {
        new SqliteStorage(DbPath).Dispose();
        using (SqliteConnection raw = Raw())
        {
            Scalar(raw, "PRAGMA user_version = 99;");
        }

        var ex = Assert.Throws<InvalidOperationException>(() => new SqliteStorage(DbPath));
        Assert.Contains("schema version 99", ex.Message, StringComparison.Ordinal);
        Assert.Contains(DbPath, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Another_applications_database_is_refused()
    {
        using (SqliteConnection raw = Raw())
        {
            Scalar(raw, "CREATE TABLE customers (id INTEGER);");
        }

        var ex = Assert.Throws<InvalidOperationException>(() => new SqliteStorage(DbPath));
        Assert.Contains("not a ReactiveStore database", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_damaged_table_under_the_right_version_is_refused()
    {
        new SqliteStorage(DbPath).Dispose();
        using (SqliteConnection raw = Raw())
        {
            Scalar(raw, "DROP TABLE entries; CREATE TABLE entries (key TEXT PRIMARY KEY);");
        }

        var ex = Assert.Throws<InvalidOperationException>(() => new SqliteStorage(DbPath));
        Assert.Contains("'entries' table does not match", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_commit_is_atomic_across_keys()
    {
        using var storage = new SqliteStorage(DbPath);
        storage.Write(Set("a", "1", 1));
        using (SqliteConnection raw = Raw())
        {
            Scalar(raw, "CREATE TRIGGER boom BEFORE INSERT ON entries WHEN NEW.key = 'boom' BEGIN SELECT RAISE(ABORT, 'boom'); END;");
        }

        Assert.Throws<SqliteException>(() => storage.Write([Set("a", "2", 2), Set("b", "1"), Delete("a"), Set("boom", "1")]));
        Assert.True(storage.TryGet("a", out StoredEntry? a));
        Assert.Equal(1, a.Metadata.Version);
        Assert.Equal(["a"], storage.Keys(""));

        storage.Write([Set("a", "3", 3), Set("b", "1")]);
        Assert.Equal(["a", "b"], storage.Keys(""));
    }

    public static TheoryData<string> CorruptRows() =>
    [
        "UPDATE entries SET metadata = 'not json' WHERE key = 'c.bad';",
        "UPDATE entries SET metadata = '{\"version\":0,\"createdAt\":\"2025-01-01T00:00:00Z\",\"updatedAt\":\"2025-01-01T00:00:00Z\"}' WHERE key = 'c.bad';",
        "UPDATE entries SET metadata = '[]' WHERE key = 'c.bad';",
        "UPDATE entries SET metadata = '{\"version\":1,\"createdAt\":\"2025-01-01T00:00:00Z\",\"updatedAt\":\"2025-01-01T00:00:00Z\",\"tags\":[\"a\",null]}' WHERE key = 'c.bad';",
        "UPDATE entries SET value = X'7B2261' WHERE key = 'c.bad';",
        "UPDATE entries SET value = X'' WHERE key = 'c.bad';",
        "UPDATE entries SET value = '1 2' WHERE key = 'c.bad';",
    ];

    [Theory]
    [MemberData(nameof(CorruptRows))]
    public void A_corrupt_row_is_isolated_by_default_the_rest_loads_and_reading_it_names_the_row(string corrupt)
    {
        using var logs = new CollectingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        using var storage = new SqliteStorage(DbPath, new SqliteStorageOptions { Logger = factory.CreateLogger("sqlite") });
        storage.Write(Set("c.good", "1"), Set("c.bad", "2"), Set("z", "3"));
        using (SqliteConnection raw = Raw())
        {
            Scalar(raw, corrupt);
        }

        var all = storage.ReadAll().ToList();
        Assert.Equal(["c.bad", "c.good", "z"], all.Select(p => p.Key));
        StorageCorruptionException corruption = all[0].Value.Corruption!;
        Assert.Equal("c.bad", corruption.Key);
        Assert.Contains("table 'entries', key 'c.bad'", corruption.Message, StringComparison.Ordinal);
        Assert.Throws<StorageCorruptionException>(() => all[0].Value.ValueJson);
        Assert.Null(all[1].Value.Corruption);
        Assert.Equal("1", Json(all[1].Value));
        Assert.Contains(logs.Entries, e => e.Message.Contains("'c.bad'", StringComparison.Ordinal));

        Assert.True(storage.TryGet("c.bad", out StoredEntry? single));
        Assert.Equal("c.bad", single.Corruption!.Key);
        storage.Write(Set("c.bad", "4"));
        Assert.True(storage.TryGet("c.bad", out StoredEntry? repaired));
        Assert.Equal("4", Json(repaired));
    }

    [Theory]
    [MemberData(nameof(CorruptRows))]
    public void The_throw_policy_throws_naming_the_key_and_other_rows_stay_readable(string corrupt)
    {
        using var storage = new SqliteStorage(DbPath, new SqliteStorageOptions { OnCorruptEntry = CorruptEntryPolicy.Throw });
        storage.Write(Set("c.good", "1"), Set("c.bad", "2"));
        using (SqliteConnection raw = Raw())
        {
            Scalar(raw, corrupt);
        }

        Assert.True(storage.TryGet("c.good", out _));
        Assert.Equal(["c.bad", "c.good"], storage.Keys("c"));
        var single = Assert.Throws<StorageCorruptionException>(() => storage.TryGet("c.bad", out _));
        Assert.Equal("c.bad", single.Key);
        Assert.Contains("'c.bad'", single.Message, StringComparison.Ordinal);
        Assert.Equal("c.bad", Assert.Throws<StorageCorruptionException>(() => storage.ReadAll()).Key);
    }

    [Fact]
    public void A_row_whose_key_is_not_text_is_skipped_and_logged_naming_the_row()
    {
        using var logs = new CollectingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        using var storage = new SqliteStorage(DbPath, new SqliteStorageOptions { Logger = factory.CreateLogger("sqlite") });
        storage.Write(Set("a", "1"));
        using (SqliteConnection raw = Raw())
        {
            Scalar(raw, "INSERT INTO entries (key, value, metadata, version, updated_at) SELECT X'FF00', value, metadata, version, updated_at FROM entries WHERE key = 'a';");
        }

        Assert.Equal(["a"], storage.ReadAll().Select(p => p.Key));
        StorageCorruptionException skipped = Assert.Single(storage.SkippedEntries);
        Assert.Null(skipped.Key);
        Assert.Contains("key is blob", skipped.Message, StringComparison.Ordinal);
        Assert.Contains(logs.Entries, e => e.Message.Contains("key is blob", StringComparison.Ordinal));
    }

    [Fact]
    public void Keys_use_the_range_query_and_skip_look_alike_prefixes()
    {
        using var storage = new SqliteStorage(DbPath);
        storage.Write(Set("a", "0"), Set("a.b", "0"), Set("a-b", "0"), Set("a/b", "0"), Set("a0", "0"), Set("a.z.y", "0"), Set("b", "0"));
        Assert.Equal(["a", "a.b", "a.z.y"], storage.Keys("a"));
    }

    [Fact]
    public void Normal_synchronous_round_trips_and_flush_checkpoints_the_wal()
    {
        using (var storage = new SqliteStorage(DbPath, new SqliteStorageOptions { Synchronous = SqliteSynchronous.Normal, BusyTimeout = TimeSpan.FromSeconds(1) }))
        {
            storage.Write(Set("a", "1", 1));
            storage.Flush();
            Assert.True(storage.TryGet("a", out _));
        }

        using var reopened = new SqliteStorage(DbPath);
        Assert.True(reopened.TryGet("a", out _));
    }

    [Fact]
    public void A_second_writer_on_one_file_is_refused_and_read_only_openers_see_the_writers_commits()
    {
        using (var writer = new SqliteStorage(DbPath))
        {
            var refused = Assert.Throws<StorageLockedException>(() => new SqliteStorage(DbPath));
            Assert.Contains(DbPath, refused.Message, StringComparison.Ordinal);
            Assert.Contains("another process or by another storage in this process", refused.Message, StringComparison.Ordinal);
            Assert.Contains("ReadOnly", refused.Message, StringComparison.Ordinal);
            Assert.Equal(DbPath + ".lock", refused.LockFile);
            Assert.Throws<StorageLockedException>(() => new SqliteStorage(DbPath, new SqliteStorageOptions { Synchronous = SqliteSynchronous.Normal }));

            using var reader = new SqliteStorage(DbPath, new SqliteStorageOptions { ReadOnly = true });
            Assert.True(reader.IsReadOnly);
            writer.Write(Set("shared", "1", 1));
            Assert.True(reader.TryGet("shared", out StoredEntry? seen));
            Assert.Equal(1, seen.Metadata.Version);
            writer.Write(Set("shared", "2", 2), Set("other", "1"));
            Assert.Equal(2, reader.ReadAll().Single(p => p.Key == "shared").Value.Metadata.Version);
            Assert.Equal(["other", "shared"], reader.Keys(""));

            var readOnlyWrite = Assert.Throws<InvalidOperationException>(() => reader.Write(Set("x", "1")));
            Assert.Contains("read-only", readOnlyWrite.Message, StringComparison.Ordinal);
            Assert.Contains(DbPath, readOnlyWrite.Message, StringComparison.Ordinal);
            reader.Flush();
        }

        // The writer is gone: a new one opens, and the data is intact.
        using var next = new SqliteStorage(DbPath);
        Assert.True(next.TryGet("shared", out StoredEntry? kept));
        Assert.Equal(2, kept.Metadata.Version);
    }

    [Fact]
    public async Task A_second_writer_in_another_process_is_refused_and_a_read_only_one_in_another_process_reads()
    {
        using (var setup = new SqliteStorage(DbPath))
        {
            setup.Write(Set("counter", "1", 1));
        }

        await using (CrashWriterProcess holder = await CrashWriterProcess.HoldAsync("sqlite-full", DbPath))
        {
            var refused = Assert.Throws<StorageLockedException>(() => new SqliteStorage(DbPath));
            Assert.Contains(DbPath, refused.Message, StringComparison.Ordinal);
            using var reader = new SqliteStorage(DbPath, new SqliteStorageOptions { ReadOnly = true });
            Assert.True(reader.TryGet("counter", out StoredEntry? counter));
            Assert.Equal(1, counter.Metadata.Version);
        }

        using (var writer = new SqliteStorage(DbPath))
        {
            writer.Write(Set("counter", "2", 2));
            string probe = await CrashWriterProcess.RunAsync("probe", "sqlite-full", DbPath);
            Assert.StartsWith("refused StorageLockedException: ", probe, StringComparison.Ordinal);
            Assert.Contains(DbPath, probe, StringComparison.Ordinal);

            // A read-only process beside this writer sees its latest commit.
            Assert.Equal("opened\nversion 2\n", await CrashWriterProcess.RunAsync("probe", "sqlite-readonly", DbPath, "counter"));
        }
    }

    [Fact]
    public void Read_only_never_creates_a_file_or_a_schema()
    {
        var missing = Assert.Throws<FileNotFoundException>(() => new SqliteStorage(DbPath, new SqliteStorageOptions { ReadOnly = true }));
        Assert.Contains(DbPath, missing.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(DbPath));

        using (SqliteConnection raw = Raw())
        {
            Scalar(raw, "PRAGMA user_version;");
        }

        var empty = Assert.Throws<InvalidOperationException>(() => new SqliteStorage(DbPath, new SqliteStorageOptions { ReadOnly = true }));
        Assert.Contains("no ReactiveStore schema", empty.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_only_opens_a_closed_wal_database_and_sees_later_commits()
    {
        using (var writer = new SqliteStorage(DbPath))
        {
            writer.Write(Set("a", "1", 1));
        }

        using var reader = new SqliteStorage(DbPath, new SqliteStorageOptions { ReadOnly = true });
        Assert.Equal(["a"], reader.Keys(""));
        using var later = new SqliteStorage(DbPath);
        later.Write(Set("a", "2", 2));
        Assert.True(reader.TryGet("a", out StoredEntry? a));
        Assert.Equal(2, a.Metadata.Version);
    }

    [Fact]
    public void An_entry_that_cannot_be_stored_exactly_fails_the_whole_write_naming_the_key()
    {
        using var storage = new SqliteStorage(DbPath);
        storage.Write(Set("keep", "1"));
        var badMetadata = new StoredEntry("1"u8.ToArray(), new EntryMetadata(1, T0, T0) { ModifiedBy = "x\uDBFF" });
        var ex = Assert.Throws<ArgumentException>(() => storage.Write([Set("first", "1"), new StorageWrite("bad", badMetadata)]));
        Assert.Contains("'bad'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("U+DBFF", ex.Message, StringComparison.Ordinal);
        var badKey = Assert.Throws<ArgumentException>(() => storage.Write([Set("first", "1"), Set("bad\uD800", "1")]));
        Assert.Contains("lone UTF-16 surrogate", badKey.Message, StringComparison.Ordinal);
        Assert.Equal(["keep"], storage.Keys(""));
    }

    [Fact]
    public void Keys_need_not_follow_the_path_grammar()
    {
        using var storage = new SqliteStorage(DbPath);
        storage.Write(Set("weird key/with:chars", "1"));
        Assert.True(storage.TryGet("weird key/with:chars", out _));
    }
}
