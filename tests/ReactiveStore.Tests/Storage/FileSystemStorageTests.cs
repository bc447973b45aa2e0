using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ReactiveStore.Storage;
using static ReactiveStore.Tests.Storage.StorageTestSupport;

namespace ReactiveStore.Tests.Storage;

/// <summary>What is specific to <see cref="FileSystemStorage"/>: file layout, atomic replacement, cleanup, corruption, key validation.</summary>
public sealed class FileSystemStorageTests : IDisposable
{
    private readonly string _dir = NewTempDirectory();

    public void Dispose() => DeleteDirectory(_dir);

    [Fact]
    public void One_readable_json_file_per_key_in_folders_mirroring_the_key()
    {
        using var storage = new FileSystemStorage(_dir);
        storage.Write(Set("config.theme", """{"mode":"dark","accent":"grün"}""", 3), Set("config", "1"), Set("config.theme.font", "\"mono\""));

        string file = Path.Combine(_dir, "config", "theme.json");
        Assert.Equal(file, storage.GetFilePath("config.theme"));
        Assert.True(File.Exists(file));
        Assert.True(File.Exists(Path.Combine(_dir, "config.json")));
        Assert.True(File.Exists(Path.Combine(_dir, "config", "theme", "font.json")));

        string text = File.ReadAllText(file);
        Assert.Contains("grün", text, StringComparison.Ordinal);
        Assert.Contains('\n', text);
        JsonNode document = JsonNode.Parse(text)!;
        Assert.Equal("dark", (string?)document["value"]!["mode"]);
        Assert.Equal(3, (long)document["metadata"]!["version"]!);
    }

    [Fact]
    public void A_file_edited_by_hand_is_read_back()
    {
        using var storage = new FileSystemStorage(_dir);
        storage.Write(Set("config.theme", """{"mode":"dark"}"""));
        string file = storage.GetFilePath("config.theme");
        File.WriteAllText(file, File.ReadAllText(file).Replace("dark", "light", StringComparison.Ordinal));
        Assert.True(storage.TryGet("config.theme", out StoredEntry? entry));
        Assert.Equal("""{"mode":"light"}""", Json(entry));

        File.WriteAllText(Path.Combine(_dir, "added.json"), """{ "value": [1, 2], "metadata": { "version": 1, "createdAt": "2025-01-01T00:00:00Z", "updatedAt": "2025-01-01T00:00:00Z" } }""");
        Assert.True(storage.TryGet("added", out StoredEntry? added));
        Assert.Equal("[1,2]", Json(added));
        Assert.Contains("added", storage.Keys(""));
    }

    [Fact]
    public void Deleting_prunes_the_folders_it_leaves_empty()
    {
        using var storage = new FileSystemStorage(_dir);
        storage.Write(Set("x.y.z", "1"), Set("x.w", "1"), Set("a", "1"), Set("a.b", "1"));
        storage.Write(Delete("x.y.z"));
        Assert.False(Directory.Exists(Path.Combine(_dir, "x", "y")));
        Assert.True(Directory.Exists(Path.Combine(_dir, "x")));
        storage.Write(Delete("x.w"), Delete("a.b"));
        Assert.False(Directory.Exists(Path.Combine(_dir, "x")));
        Assert.False(Directory.Exists(Path.Combine(_dir, "a")));
        Assert.True(File.Exists(Path.Combine(_dir, "a.json")));
        Assert.True(Directory.Exists(_dir));
    }

    [Fact]
    public void Writes_leave_no_temp_files_and_replace_the_file_whole()
    {
        using var storage = new FileSystemStorage(_dir);
        string big = "\"" + new string('x', 100_000) + "\"";
        for (int i = 1; i <= 5; i++)
        {
            storage.Write(Set("k", i % 2 == 0 ? big : "1", i));
        }

        Assert.Empty(Directory.GetFiles(_dir, "*.tmp", SearchOption.AllDirectories));
        Assert.True(storage.TryGet("k", out StoredEntry? entry));
        Assert.Equal(5, entry.Metadata.Version);
    }

    [Fact]
    public async Task Readers_racing_a_writer_see_old_or_new_files_never_a_torn_one()
    {
        using var storage = new FileSystemStorage(_dir, new FileSystemStorageOptions { FlushToDisk = false });
        string big = "\"" + new string('y', 50_000) + "\"";
        storage.Write(Set("k", big, 1));
        string file = storage.GetFilePath("k");
        using var stop = new CancellationTokenSource();
        int reads = 0;
        Task reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                // Read the file directly, around the storage's lock, as another process would.
                byte[] bytes = File.ReadAllBytes(file);
                StoredEntry read = StoredEntryJson.Deserialize(bytes);
                Assert.Equal(big.Length, read.ValueJson.Length);
                Interlocked.Increment(ref reads);
            }
        });
        for (int v = 2; v <= 100 || (Volatile.Read(ref reads) < 50 && v < 5000); v++)
        {
            storage.Write(Set("k", big, v));
        }

        stop.Cancel();
        await reader.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(reads > 0);
    }

    [Fact]
    public void Leftover_temp_files_and_empty_folders_are_cleaned_up_on_open_and_foreign_files_ignored()
    {
        using (var storage = new FileSystemStorage(_dir))
        {
            storage.Write(Set("config.theme", "1"));
        }

        string configDir = Path.Combine(_dir, "config");
        File.WriteAllText(Path.Combine(configDir, ".theme.json.0123abcd.tmp"), "{\"value\":");
        File.WriteAllText(Path.Combine(_dir, ".crashed.json.ff.tmp"), "");
        Directory.CreateDirectory(Path.Combine(_dir, "empty", "nested"));
        File.WriteAllText(Path.Combine(_dir, "README.txt"), "not a key");
        File.WriteAllText(Path.Combine(_dir, "bad-name.json"), "{}");
        Directory.CreateDirectory(Path.Combine(_dir, "not-a-segment"));
        File.WriteAllText(Path.Combine(_dir, "not-a-segment", "x.json"), "{}");

        using (var reopened = new FileSystemStorage(_dir))
        {
            Assert.Empty(Directory.GetFiles(_dir, "*.tmp", SearchOption.AllDirectories));
            Assert.False(Directory.Exists(Path.Combine(_dir, "empty")));
            Assert.Equal(["config.theme"], reopened.Keys(""));
            Assert.Single(reopened.ReadAll());
            Assert.True(File.Exists(Path.Combine(_dir, "README.txt")));
        }
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("")]
    [InlineData("{\"value\": 1}")]
    [InlineData("{\"metadata\": {\"version\": 1, \"createdAt\": \"2025-01-01T00:00:00Z\", \"updatedAt\": \"2025-01-01T00:00:00Z\"}}")]
    [InlineData("{\"value\": 1, \"metadata\": {\"version\": 1, \"createdAt\": \"2025-01-01T00:00:00Z\", \"updatedAt\": \"2025-01-0")]
    [InlineData("{\"value\": 1, \"metadata\": {\"version\": \"one\", \"createdAt\": \"2025-01-01T00:00:00Z\", \"updatedAt\": \"2025-01-01T00:00:00Z\"}}")]
    [InlineData("[1, 2, 3]")]
    public void A_corrupt_file_throws_naming_file_and_key_without_taking_the_rest_down(string content)
    {
        using var storage = new FileSystemStorage(_dir);
        storage.Write(Set("good", "1"), Set("cfg.bad", "2"), Set("cfg.other", "3"));
        string badFile = storage.GetFilePath("cfg.bad");
        File.WriteAllText(badFile, content);

        Assert.True(storage.TryGet("good", out _));
        Assert.True(storage.TryGet("cfg.other", out _));
        Assert.Equal(["cfg.bad", "cfg.other", "good"], storage.Keys(""));

        var single = Assert.Throws<StorageCorruptionException>(() => storage.TryGet("cfg.bad", out _));
        Assert.Equal("cfg.bad", single.Key);
        Assert.Contains(badFile, single.Message, StringComparison.Ordinal);
        Assert.Contains(badFile, single.Location, StringComparison.Ordinal);

        var all = Assert.Throws<StorageCorruptionException>(() => storage.ReadAll());
        Assert.Equal("cfg.bad", all.Key);
        Assert.Contains(badFile, all.Message, StringComparison.Ordinal);

        storage.Write(Set("cfg.bad", "4"));
        Assert.True(storage.TryGet("cfg.bad", out StoredEntry? repaired));
        Assert.Equal("4", Json(repaired));
    }

    [Fact]
    public void The_skip_policy_leaves_corrupt_files_out_lists_and_logs_them()
    {
        using var logs = new CollectingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        using var storage = new FileSystemStorage(_dir, new FileSystemStorageOptions
        {
            OnCorruptEntry = CorruptEntryPolicy.Skip,
            Logger = factory.CreateLogger<FileSystemStorage>(),
        });
        storage.Write(Set("a", "1"), Set("b", "2"), Set("c", "3"));
        File.WriteAllText(storage.GetFilePath("b"), "{\"value\": 2, \"metada");

        var all = storage.ReadAll().ToList();
        Assert.Equal(["a", "c"], all.Select(p => p.Key));
        StorageCorruptionException skipped = Assert.Single(storage.SkippedEntries);
        Assert.Equal("b", skipped.Key);
        Assert.Contains(logs.Entries, e => e.Message.Contains(storage.GetFilePath("b"), StringComparison.Ordinal));
        Assert.Throws<StorageCorruptionException>(() => storage.TryGet("b", out _));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData("..")]
    [InlineData("a..b")]
    [InlineData("a.")]
    [InlineData(".a")]
    [InlineData("a b")]
    [InlineData("/etc/passwd")]
    [InlineData("C:\\x")]
    [InlineData("")]
    public void Invalid_keys_are_rejected_before_anything_is_written(string key)
    {
        using var storage = new FileSystemStorage(_dir);
        Assert.ThrowsAny<ArgumentException>(() => storage.Write([Set("ok", "1"), Set(key, "1")]));
        Assert.ThrowsAny<ArgumentException>(() => storage.TryGet(key, out _));
        Assert.ThrowsAny<ArgumentException>(() => storage.Write(Delete(key)));
        if (key.Length != 0)
        {
            Assert.ThrowsAny<ArgumentException>(() => storage.Keys(key));
        }

        Assert.Empty(storage.Keys(""));
        Assert.Equal([".lock"], Directory.GetFileSystemEntries(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public void The_folder_is_opened_by_one_instance_at_a_time()
    {
        var first = new FileSystemStorage(_dir);
        var ex = Assert.Throws<IOException>(() => new FileSystemStorage(_dir));
        Assert.Contains(_dir, ex.Message, StringComparison.Ordinal);
        first.Dispose();
        using var second = new FileSystemStorage(_dir);
    }

    [Fact]
    public void A_commit_is_not_atomic_across_files_a_failure_leaves_the_prefix()
    {
        using var storage = new FileSystemStorage(_dir);

        // A folder where the second key's file should go makes its rename fail.
        Directory.CreateDirectory(Path.Combine(_dir, "blocked.json", "x"));
        Assert.ThrowsAny<IOException>(() => storage.Write([Set("first", "1"), Set("blocked", "2"), Set("third", "3")]));
        Assert.True(storage.TryGet("first", out _));
        Assert.False(storage.TryGet("third", out _));
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void Without_flush_to_disk_writes_still_round_trip_and_reopen()
    {
        var options = new FileSystemStorageOptions { FlushToDisk = false };
        using (var storage = new FileSystemStorage(_dir, options))
        {
            storage.Write(Set("a.b", "1", 2));
        }

        using var reopened = new FileSystemStorage(_dir, options);
        Assert.True(reopened.TryGet("a.b", out StoredEntry? entry));
        Assert.Equal(2, entry.Metadata.Version);
    }

    [Fact]
    public void Folders_are_fsynced_through_libc_on_linux_and_macos()
    {
        Assert.Equal(!OperatingSystem.IsWindows(), DirectorySync.Flush(_dir));
        Assert.False(DirectorySync.Flush(Path.Combine(_dir, "missing")));
    }

    [Fact]
    public void Reserved_system_segments_are_valid_keys()
    {
        using var storage = new FileSystemStorage(_dir);
        storage.Write(Set("__schema.v1", "1"));
        Assert.Equal(["__schema.v1"], storage.Keys("__schema"));
        Assert.True(File.Exists(Path.Combine(_dir, "__schema", "v1.json")));
    }

    [Fact]
    public void The_document_form_keeps_text_readable()
    {
        byte[] document = StoredEntryJson.Serialize(Entry("""{"s":"ü \"q\" <b> & 'x'"}"""));
        string text = Encoding.UTF8.GetString(document);
        Assert.Contains("ü \\\"q\\\" <b> & 'x'", text, StringComparison.Ordinal);
        Assert.Equal("""{"s":"ü \"q\" <b> & 'x'"}""", Json(StoredEntryJson.Deserialize(document)));
    }
}
