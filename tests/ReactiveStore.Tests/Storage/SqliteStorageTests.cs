using Microsoft.Data.Sqlite;
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

    [Theory]
    [InlineData("UPDATE entries SET metadata = 'not json' WHERE key = 'c.bad';")]
    [InlineData("UPDATE entries SET metadata = '{\"version\":0,\"createdAt\":\"2025-01-01T00:00:00Z\",\"updatedAt\":\"2025-01-01T00:00:00Z\"}' WHERE key = 'c.bad';")]
    [InlineData("UPDATE entries SET metadata = '[]' WHERE key = 'c.bad';")]
    [InlineData("UPDATE entries SET value = X'7B2261' WHERE key = 'c.bad';")]
    [InlineData("UPDATE entries SET value = X'' WHERE key = 'c.bad';")]
    [InlineData("UPDATE entries SET value = '1 2' WHERE key = 'c.bad';")]
    public void A_corrupt_row_throws_naming_the_key_without_taking_the_rest_down(string corrupt)
    {
        using var storage = new SqliteStorage(DbPath);
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
    public void The_skip_policy_leaves_corrupt_rows_out()
    {
        using var storage = new SqliteStorage(DbPath, new SqliteStorageOptions { OnCorruptEntry = CorruptEntryPolicy.Skip });
        storage.Write(Set("a", "1"), Set("b", "2"));
        using (SqliteConnection raw = Raw())
        {
            Scalar(raw, "UPDATE entries SET metadata = '{' WHERE key = 'a';");
        }

        Assert.Equal(["b"], storage.ReadAll().Select(p => p.Key));
        Assert.Equal("a", Assert.Single(storage.SkippedEntries).Key);
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
    public void Two_storages_on_one_file_see_each_others_commits()
    {
        using var first = new SqliteStorage(DbPath);
        using var second = new SqliteStorage(DbPath);
        first.Write(Set("shared", "1", 1));
        Assert.True(second.TryGet("shared", out StoredEntry? seen));
        Assert.Equal(1, seen.Metadata.Version);
        second.Write(Set("shared", "2", 2));
        Assert.True(first.TryGet("shared", out seen));
        Assert.Equal(2, seen.Metadata.Version);
    }

    [Fact]
    public void Keys_need_not_follow_the_path_grammar()
    {
        using var storage = new SqliteStorage(DbPath);
        storage.Write(Set("weird key/with:chars", "1"));
        Assert.True(storage.TryGet("weird key/with:chars", out _));
    }
}
