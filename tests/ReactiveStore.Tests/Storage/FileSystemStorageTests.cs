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

    public static TheoryData<string> CorruptContents() =>
    [
        "not json at all",
        "",
        "{\"value\": 1}",
        "{\"metadata\": {\"version\": 1, \"createdAt\": \"2025-01-01T00:00:00Z\", \"updatedAt\": \"2025-01-01T00:00:00Z\"}}",
        "{\"value\": 1, \"metadata\": {\"version\": 1, \"createdAt\": \"2025-01-01T00:00:00Z\", \"updatedAt\": \"2025-01-0",
        "{\"value\": 1, \"metadata\": {\"version\": \"one\", \"createdAt\": \"2025-01-01T00:00:00Z\", \"updatedAt\": \"2025-01-01T00:00:00Z\"}}",
        "[1, 2, 3]",

        // Valid JSON text that no .NET string can hold: a lone surrogate escape, in the value and in the metadata.
        "{\"value\": \"\\uD800\", \"metadata\": {\"version\": 1, \"createdAt\": \"2025-01-01T00:00:00Z\", \"updatedAt\": \"2025-01-01T00:00:00Z\"}}",
        "{\"value\": 1, \"metadata\": {\"version\": 1, \"createdAt\": \"2025-01-01T00:00:00Z\", \"updatedAt\": \"2025-01-01T00:00:00Z\", \"comment\": \"\\uDC00\"}}",
    ];

    [Theory]
    [MemberData(nameof(CorruptContents))]
    public void A_corrupt_file_is_isolated_by_default_the_rest_loads_and_reading_it_names_the_file(string content)
    {
        using var logs = new CollectingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        using var storage = new FileSystemStorage(_dir, new FileSystemStorageOptions { Logger = factory.CreateLogger<FileSystemStorage>() });
        storage.Write(Set("good", "1"), Set("cfg.bad", "2"), Set("cfg.other", "3"));
        string badFile = storage.GetFilePath("cfg.bad");
        File.WriteAllText(badFile, content);

        // ReadAll (what StateStore.OpenAsync calls) returns every key; the bad one as a placeholder naming its file.
        var all = storage.ReadAll().ToList();
        Assert.Equal(["cfg.bad", "cfg.other", "good"], all.Select(p => p.Key));
        Assert.Equal("3", Json(all[1].Value));
        StoredEntry corrupted = all[0].Value;
        Assert.True(corrupted.IsCorrupted);
        Assert.Equal("cfg.bad", corrupted.Corruption!.Key);
        Assert.Contains(badFile, corrupted.Corruption.Message, StringComparison.Ordinal);
        var onRead = Assert.Throws<StorageCorruptionException>(() => corrupted.ValueJson);
        Assert.Same(corrupted.Corruption, onRead);
        Assert.Empty(storage.SkippedEntries);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains(badFile, StringComparison.Ordinal));

        Assert.True(storage.TryGet("cfg.bad", out StoredEntry? single));
        Assert.Contains(badFile, single.Corruption!.Location, StringComparison.Ordinal);
        Assert.Equal(["cfg.bad", "cfg.other", "good"], storage.Keys(""));

        // Writing the key again repairs it.
        storage.Write(Set("cfg.bad", "4"));
        Assert.True(storage.TryGet("cfg.bad", out StoredEntry? repaired));
        Assert.Equal("4", Json(repaired));
    }

    [Theory]
    [MemberData(nameof(CorruptContents))]
    public void The_throw_policy_throws_naming_file_and_key_and_other_keys_stay_readable(string content)
    {
        using var storage = new FileSystemStorage(_dir, new FileSystemStorageOptions { OnCorruptEntry = CorruptEntryPolicy.Throw });
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
        var ex = Assert.Throws<StorageLockedException>(() => new FileSystemStorage(_dir));
        Assert.Contains(_dir, ex.Message, StringComparison.Ordinal);
        Assert.Equal(_dir, ex.Location);
        Assert.Equal(Path.Combine(_dir, ".lock"), ex.LockFile);
        first.Dispose();
        using var second = new FileSystemStorage(_dir);
    }

    [Fact]
    public async Task The_folder_is_opened_by_one_process_at_a_time()
    {
        await using (CrashWriterProcess holder = await CrashWriterProcess.HoldAsync("fs", _dir))
        {
            var ex = Assert.Throws<StorageLockedException>(() => new FileSystemStorage(_dir));
            Assert.Contains(_dir, ex.Message, StringComparison.Ordinal);
            Assert.Contains("another process", ex.Message, StringComparison.Ordinal);
        }

        // The child has exited: its lock went with it.
        using (var storage = new FileSystemStorage(_dir))
        {
            storage.Write(Set("mine", "1"));
            string probe = await CrashWriterProcess.RunAsync("probe", "fs", _dir);
            Assert.StartsWith("refused StorageLockedException: ", probe, StringComparison.Ordinal);
            Assert.Contains(_dir, probe, StringComparison.Ordinal);
        }

        Assert.StartsWith("opened", await CrashWriterProcess.RunAsync("probe", "fs", _dir), StringComparison.Ordinal);
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

    [Fact]
    public void A_value_and_its_descendants_are_a_file_beside_a_folder()
    {
        using var storage = new FileSystemStorage(_dir);
        storage.Write(Set("pipeline.stage", "\"running\""), Set("pipeline.stage.step", "3"));
        Assert.True(File.Exists(Path.Combine(_dir, "pipeline", "stage.json")));
        Assert.True(File.Exists(Path.Combine(_dir, "pipeline", "stage", "step.json")));
        Assert.Equal(Path.Combine(_dir, "pipeline", "stage.json"), storage.GetFilePath("pipeline.stage"));

        storage.Write(Delete("pipeline.stage.step"));
        Assert.False(Directory.Exists(Path.Combine(_dir, "pipeline", "stage")));
        Assert.True(File.Exists(Path.Combine(_dir, "pipeline", "stage.json")));
        storage.Write(Set("pipeline.stage.step", "4"), Delete("pipeline.stage"));
        Assert.False(File.Exists(Path.Combine(_dir, "pipeline", "stage.json")));
        Assert.Equal(["pipeline.stage.step"], storage.Keys("pipeline.stage"));
    }

    [Theory]
    [InlineData("config.theme", "config/theme.json")]
    [InlineData("Theme", "+Theme.json")]
    [InlineData("ui.userName", "ui/user+Name.json")]
    [InlineData("URL", "+U+R+L.json")]
    [InlineData("snake_case_9", "snake_case_9.json")]
    [InlineData("con", "con+.json")]
    [InlineData("CON", "+C+O+N.json")]
    [InlineData("nul.com1.lpt9", "nul+/com1+/lpt9+.json")]
    [InlineData("console.nullable", "console/nullable.json")]
    [InlineData("__schema.v1", "__schema/v1.json")]
    public void File_names_encode_capitals_and_device_names(string key, string relative)
    {
        using var storage = new FileSystemStorage(_dir);
        storage.Write(Set(key, "1"));
        string expected = Path.Combine(_dir, relative.Replace('/', Path.DirectorySeparatorChar));
        Assert.Equal(expected, storage.GetFilePath(key));
        Assert.True(File.Exists(expected));
        Assert.Equal([key], storage.Keys(""));

        // Where the file system ignores case, the name must still differ from the name of the key's lower-case twin.
        if (key.Any(char.IsAsciiLetterUpper))
        {
            Assert.NotEqual(StorageFileNames.RelativePath(key.ToLowerInvariant()), StorageFileNames.RelativePath(key)!.ToLowerInvariant());
        }
    }

    [Fact]
    public void A_key_too_long_to_mirror_lives_in_the_long_folder_with_its_key_inside()
    {
        using var storage = new FileSystemStorage(_dir);
        string segment = new('s', 300);
        string key = "a." + segment;
        storage.Write(Set("a", "0"), Set(key, "1"), Set(key + ".child", "2"));

        string file = storage.GetFilePath(key);
        Assert.Equal(Path.Combine(_dir, "+long"), Path.GetDirectoryName(file));
        Assert.Matches("^[0-9a-f]{32}\\.json$", Path.GetFileName(file));
        Assert.Equal(key, (string?)JsonNode.Parse(File.ReadAllText(file))!["key"]);
        Assert.All(Directory.GetFileSystemEntries(_dir, "*", SearchOption.AllDirectories), e => Assert.True(Path.GetFileName(e).Length < 100, e));
        Assert.Equal(["a", key, key + ".child"], storage.Keys("a"));
        Assert.Equal([key, key + ".child"], storage.Keys(key));

        storage.Write(Delete(key), Delete(key + ".child"));
        Assert.False(Directory.Exists(Path.Combine(_dir, "+long")));
        Assert.Equal(["a"], storage.Keys(""));
    }

    [Fact]
    public void A_long_keys_file_that_cannot_be_read_is_isolated_when_its_key_survives_and_skipped_naming_the_file_when_not()
    {
        using var logs = new CollectingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        using var storage = new FileSystemStorage(_dir, new FileSystemStorageOptions { Logger = factory.CreateLogger<FileSystemStorage>() });
        string truncated = "t." + new string('t', 200);
        string lost = "l." + new string('l', 200);
        storage.Write(Set("ok", "1"), Set(truncated, "2"), Set(lost, "3"));
        string truncatedFile = storage.GetFilePath(truncated);
        string lostFile = storage.GetFilePath(lost);
        File.WriteAllText(truncatedFile, File.ReadAllText(truncatedFile)[..(truncated.Length + 20)]);
        File.WriteAllText(lostFile, "{\"ke");

        var all = storage.ReadAll().ToList();
        Assert.Equal(["ok", truncated], all.Select(p => p.Key));
        Assert.Contains(truncatedFile, all[1].Value.Corruption!.Message, StringComparison.Ordinal);
        StorageCorruptionException skipped = Assert.Single(storage.SkippedEntries);
        Assert.Null(skipped.Key);
        Assert.Contains(lostFile, skipped.Message, StringComparison.Ordinal);
        Assert.Contains("cannot be recovered", skipped.Message, StringComparison.Ordinal);
        Assert.Contains(logs.Entries, e => e.Message.Contains(lostFile, StringComparison.Ordinal));

        // Asked for by key, the file whose key was lost still reads as that key's corrupt entry.
        Assert.True(storage.TryGet(lost, out StoredEntry? byKey));
        Assert.Contains(lostFile, byKey.Corruption!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Files_of_the_earlier_layout_are_moved_to_the_current_one_on_open()
    {
        // The layout before name encoding: segments as they are.
        string longSegment = new('w', 150);
        WriteLegacy(Path.Combine("Config", "Theme.json"), 3);
        WriteLegacy(Path.Combine("Config", "theme", "font.json"), 4);
        WriteLegacy("con.json", 5);
        WriteLegacy("plain.json", 6);
        WriteLegacy(Path.Combine("deep", longSegment + ".json"), 7);
        WriteLegacy("Clash.json", 8);
        File.WriteAllText(Path.Combine(_dir, "+Clash.json"), File.ReadAllText(Path.Combine(_dir, "Clash.json")).Replace("8", "9", StringComparison.Ordinal));

        using var logs = new CollectingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        using var storage = new FileSystemStorage(_dir, new FileSystemStorageOptions { Logger = factory.CreateLogger<FileSystemStorage>() });
        Assert.Equal(["Clash", "Config.Theme", "Config.theme.font", "con", "deep." + longSegment, "plain"], storage.Keys(""));
        Assert.All(storage.ReadAll(), p => Assert.Null(p.Value.Corruption));
        Assert.True(storage.TryGet("Config.Theme", out StoredEntry? theme));
        Assert.Equal(3, theme.Metadata.Version);
        Assert.True(storage.TryGet("deep." + longSegment, out StoredEntry? deep));
        Assert.Equal(7, deep.Metadata.Version);

        Assert.True(File.Exists(Path.Combine(_dir, "+Config", "+Theme.json")));
        Assert.True(File.Exists(Path.Combine(_dir, "+Config", "theme", "font.json")));
        Assert.True(File.Exists(Path.Combine(_dir, "con+.json")));
        Assert.False(Directory.Exists(Path.Combine(_dir, "Config")));
        Assert.False(File.Exists(Path.Combine(_dir, "con.json")));
        Assert.False(Directory.Exists(Path.Combine(_dir, "deep")));

        // Two files for one key with different contents: the current layout wins and the old file is left for a person.
        Assert.True(storage.TryGet("Clash", out StoredEntry? clash));
        Assert.Equal(9, clash.Metadata.Version);
        Assert.True(File.Exists(Path.Combine(_dir, "Clash.json")));
        Assert.Contains(logs.Entries, e => e.Message.Contains("Clash.json", StringComparison.Ordinal) && e.Level == LogLevel.Warning);
        Assert.Contains(logs.Entries, e => e.Message.Contains("Moved", StringComparison.Ordinal));

        void WriteLegacy(string relative, long version)
        {
            string path = Path.Combine(_dir, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, StoredEntryJson.Serialize(Entry(version.ToString(System.Globalization.CultureInfo.InvariantCulture), version)));
        }
    }

    [Fact]
    public void An_entry_that_cannot_be_stored_exactly_fails_the_whole_write_naming_the_key()
    {
        using var storage = new FileSystemStorage(_dir);
        var loneSurrogate = new StoredEntry("1"u8.ToArray(), new EntryMetadata(1, T0, T0) { Comment = "bad \uD800 text" });
        var nullTag = new StoredEntry("1"u8.ToArray(), new EntryMetadata(1, T0, T0) { Tags = ["a", null!] });
        var surrogateValue = new StoredEntry("\"\\uDFFF\""u8.ToArray(), new EntryMetadata(1, T0, T0));
        var notJson = new StoredEntry("{"u8.ToArray(), new EntryMetadata(1, T0, T0));
        foreach ((StoredEntry bad, string expected) in new[] { (loneSurrogate, "U+D800"), (nullTag, "'tags'[1] is null"), (surrogateValue, "cannot be stored as UTF-8"), (notJson, "not one complete JSON value") })
        {
            var ex = Assert.Throws<ArgumentException>(() => storage.Write([Set("first", "1"), new StorageWrite("bad.key", bad)]));
            Assert.Contains("'bad.key'", ex.Message, StringComparison.Ordinal);
            Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
            Assert.Empty(storage.Keys(""));
        }
    }
}
