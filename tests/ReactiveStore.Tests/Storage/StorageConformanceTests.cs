using System.Text;
using System.Text.Json.Nodes;
using ReactiveStore.Storage;
using static ReactiveStore.Tests.Storage.StorageTestSupport;

namespace ReactiveStore.Tests.Storage;

/// <summary>The contract every <see cref="IStateStorage"/> driver passes; one concrete subclass per driver.</summary>
public abstract class StorageConformanceTests : IDisposable
{
    /// <summary>Opens the driver under test; a second call after disposing the first reopens the same backing store.</summary>
    protected abstract IStateStorage Open();

    /// <summary>Whether what was written survives disposing the driver and opening it again.</summary>
    protected virtual bool IsDurable => true;

    public virtual void Dispose() => GC.SuppressFinalize(this);

    [Fact]
    public void Round_trips_value_bytes_and_every_metadata_field()
    {
        using IStateStorage storage = Open();
        const string value = """{"name":"dark","sizes":[1,2.5,-3e-7,null,true,false],"nested":{"a":"b\"c"}}""";
        var metadata = new EntryMetadata(7, T0, T0.AddHours(1).ToOffset(TimeSpan.FromHours(-5)))
        {
            ExpiresAt = T0.AddDays(1).AddTicks(1234567),
            Tags = ["ui", "theme"],
            ModifiedBy = "alice",
            Comment = "switch to dark",
            DataHash = "abc123",
            SchemaHash = "schema-9",
            RevisionHistory =
            [
                new EntryRevision(7, "alice", "abc123", "schema-9", T0.AddHours(1), "switch to dark"),
                new EntryRevision(6, null, null, null, T0, null),
            ],
        };
        storage.Write(new StorageWrite("config.theme", new StoredEntry(Encoding.UTF8.GetBytes(value), metadata)));

        Assert.True(storage.TryGet("config.theme", out StoredEntry? read));
        Assert.Equal(value, Json(read));
        EntryMetadata m = read.Metadata;
        Assert.Equal(7, m.Version);
        Assert.True(m.CreatedAt.EqualsExact(metadata.CreatedAt));
        Assert.True(m.UpdatedAt.EqualsExact(metadata.UpdatedAt));
        Assert.True(m.ExpiresAt!.Value.EqualsExact(metadata.ExpiresAt!.Value));
        Assert.Equal(["ui", "theme"], m.Tags);
        Assert.Equal("alice", m.ModifiedBy);
        Assert.Equal("switch to dark", m.Comment);
        Assert.Equal("abc123", m.DataHash);
        Assert.Equal("schema-9", m.SchemaHash);
        Assert.Equal(metadata.RevisionHistory, m.RevisionHistory);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("42")]
    [InlineData("\"text\"")]
    [InlineData("[]")]
    [InlineData("{}")]
    public void Round_trips_scalar_and_empty_values(string json)
    {
        using IStateStorage storage = Open();
        storage.Write(Set("v", json));
        Assert.True(storage.TryGet("v", out StoredEntry? read));
        Assert.Equal(json, Json(read));
        Assert.Null(read.Metadata.ExpiresAt);
        Assert.Empty(read.Metadata.Tags);
        Assert.Empty(read.Metadata.RevisionHistory);
    }

    [Fact]
    public void Round_trips_non_ascii_text_as_the_same_json()
    {
        using IStateStorage storage = Open();
        storage.Write(Set("v", """{"greeting":"grüß dich ✓ 😀"}"""));
        Assert.True(storage.TryGet("v", out StoredEntry? read));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"greeting":"grüß dich ✓ 😀"}"""), JsonNode.Parse(Json(read))));
    }

    [Fact]
    public void Overwrite_replaces_the_entry()
    {
        using IStateStorage storage = Open();
        storage.Write(Set("a", "1", 1));
        storage.Write(Set("a", "2", 2));
        Assert.True(storage.TryGet("a", out StoredEntry? read));
        Assert.Equal("2", Json(read));
        Assert.Equal(2, read.Metadata.Version);
        Assert.Equal(["a"], storage.Keys(""));
    }

    [Fact]
    public void Delete_removes_the_key_and_deleting_a_missing_key_is_a_no_op()
    {
        using IStateStorage storage = Open();
        storage.Write(Set("a", "1"), Set("b", "2"));
        storage.Write(Delete("a"));
        storage.Write(Delete("a"));
        storage.Write(Delete("never.there"));
        Assert.False(storage.TryGet("a", out StoredEntry? missing));
        Assert.Null(missing);
        Assert.Equal(["b"], storage.Keys(""));
        Assert.False(storage.TryGet("never.there", out _));
    }

    [Fact]
    public void Keys_lists_the_prefix_itself_and_keys_below_it_in_ordinal_order()
    {
        using IStateStorage storage = Open();
        storage.Write(Set("ab", "0"), Set("a.b.c", "0"), Set("b", "0"), Set("a", "0"), Set("a.b", "0"), Set("a.c", "0"), Set("A", "0"), Set("a_b", "0"), Set("a.b.c.d", "0"));

        Assert.Equal(["A", "a", "a.b", "a.b.c", "a.b.c.d", "a.c", "a_b", "ab", "b"], storage.Keys(""));
        Assert.Equal(["a", "a.b", "a.b.c", "a.b.c.d", "a.c"], storage.Keys("a"));
        Assert.Equal(["a.b", "a.b.c", "a.b.c.d"], storage.Keys("a.b"));
        Assert.Equal(["ab"], storage.Keys("ab"));
        Assert.Equal(["a.b.c.d"], storage.Keys("a.b.c.d"));
        Assert.Empty(storage.Keys("c"));
        Assert.Empty(storage.Keys("a.b.c.d.e"));
        Assert.Empty(storage.Keys("a.x"));
    }

    [Fact]
    public void Keys_below_a_missing_parent_are_listed()
    {
        using IStateStorage storage = Open();
        storage.Write(Set("p.q.r", "0"));
        Assert.Equal(["p.q.r"], storage.Keys("p"));
        Assert.Equal(["p.q.r"], storage.Keys("p.q"));
        Assert.False(storage.TryGet("p", out _));
        Assert.False(storage.TryGet("p.q", out _));
    }

    [Fact]
    public void A_key_and_keys_below_it_coexist_and_are_deleted_independently()
    {
        using IStateStorage storage = Open();
        storage.Write(Set("a", "\"parent\""), Set("a.b", "\"child\""), Set("a.b.c", "\"grandchild\""));
        storage.Write(Delete("a.b"));
        Assert.True(storage.TryGet("a", out StoredEntry? parent));
        Assert.Equal("\"parent\"", Json(parent));
        Assert.True(storage.TryGet("a.b.c", out StoredEntry? grandchild));
        Assert.Equal("\"grandchild\"", Json(grandchild));
        storage.Write(Delete("a"));
        Assert.Equal(["a.b.c"], storage.Keys(""));
        storage.Write(Delete("a.b.c"));
        Assert.Empty(storage.Keys(""));
        storage.Write(Set("a.b", "1"));
        Assert.Equal(["a.b"], storage.Keys("a"));
    }

    [Fact]
    public void A_key_holds_a_value_and_descendants_at_once()
    {
        using (IStateStorage storage = Open())
        {
            // Value first, then a descendant; and the other way round; and both in one commit.
            storage.Write(Set("pipeline.stage", "\"running\"", 1));
            storage.Write(Set("pipeline.stage.step", "3", 2));
            storage.Write(Set("queue.item.id", "7", 3));
            storage.Write(Set("queue.item", "\"head\"", 4));
            storage.Write(Set("job", "{}", 5), Set("job.log.line", "1", 6), Set("job.log", "[]", 7));

            Assert.Equal(["pipeline.stage", "pipeline.stage.step"], storage.Keys("pipeline"));
            Assert.Equal(["pipeline.stage", "pipeline.stage.step"], storage.Keys("pipeline.stage"));
            Assert.Equal(["pipeline.stage.step"], storage.Keys("pipeline.stage.step"));
            Assert.Equal(["queue.item", "queue.item.id"], storage.Keys("queue.item"));
            Assert.Equal(["job", "job.log", "job.log.line"], storage.Keys("job"));
            AssertValue(storage, "pipeline.stage", "\"running\"", 1);
            AssertValue(storage, "pipeline.stage.step", "3", 2);
            AssertValue(storage, "queue.item", "\"head\"", 4);

            // Deleting the value keeps the descendants; deleting the descendants keeps the value.
            storage.Write(Delete("pipeline.stage"));
            Assert.False(storage.TryGet("pipeline.stage", out _));
            Assert.Equal(["pipeline.stage.step"], storage.Keys("pipeline.stage"));
            storage.Write(Set("pipeline.stage", "\"done\"", 8));
            storage.Write(Delete("queue.item.id"));
            Assert.Equal(["queue.item"], storage.Keys("queue"));
            AssertValue(storage, "queue.item", "\"head\"", 4);
            storage.Write(Delete("job.log"));
            Assert.Equal(["job", "job.log.line"], storage.Keys("job"));
            storage.Flush();
        }

        if (!IsDurable)
        {
            return;
        }

        using IStateStorage reopened = Open();
        Assert.Equal(["job", "job.log.line", "pipeline.stage", "pipeline.stage.step", "queue.item"], reopened.ReadAll().Select(p => p.Key));
        AssertValue(reopened, "pipeline.stage", "\"done\"", 8);
        AssertValue(reopened, "pipeline.stage.step", "3", 2);
    }

    [Theory]
    [MemberData(nameof(LongKeys))]
    public void Every_valid_key_works_however_long(string description, string key)
    {
        Assert.True(PathGrammar.TryValidate(key, allowWildcards: false, out _, out _), description);
        string parent = key.Contains('.', StringComparison.Ordinal) ? key[..key.LastIndexOf('.')] : key;
        using (IStateStorage storage = Open())
        {
            storage.Write(Set(key, "\"deep\"", 3), Set("short", "1"));
            if (parent != key)
            {
                // The parent holds a value too, and lists the long key below it.
                storage.Write(Set(parent, "\"parent\"", 2));
                Assert.Equal([parent, key], storage.Keys(parent));
            }

            AssertValue(storage, key, "\"deep\"", 3);
            Assert.Equal([key], storage.Keys(key));
            Assert.Contains(key, storage.Keys(""));
            Assert.Contains(key, storage.ReadAll().Select(p => p.Key));
            storage.Flush();
        }

        if (IsDurable)
        {
            using IStateStorage reopened = Open();
            AssertValue(reopened, key, "\"deep\"", 3);
            reopened.Write(Delete(key));
            Assert.False(reopened.TryGet(key, out _));
            Assert.DoesNotContain(key, reopened.Keys(""));
            Assert.Contains("short", reopened.Keys(""));
        }
    }

    public static TheoryData<string, string> LongKeys()
    {
        // 64 segments, 1,024 characters: the grammar's limits at once, with capitals so names get longer when encoded.
        var segments = new string[64];
        for (int i = 0; i < segments.Length; i++)
        {
            segments[i] = (i % 2 == 0 ? "Seg" : "seg") + new string((char)('a' + (i % 26)), i == 0 ? 13 : 12);
        }

        string widest = string.Join('.', segments);
        return new TheoryData<string, string>
        {
            { "a 1,024-character path of 64 segments", widest },
            { "a 1,024-character path of one segment", "K" + new string('k', 1022) + "Z" },
            { "a 300-character segment below a short one", "a." + new string('s', 300) },
            { "a 300-character segment of capitals", "cfg." + new string('Q', 300) },
            { "a segment of exactly 128 characters", "edge." + new string('e', 128) },
            { "a segment of 129 characters", "edge." + new string('e', 129) },
            { "a 600-character path of short segments", string.Join('.', Enumerable.Range(0, 60).Select(i => "segment" + i.ToString("D2", System.Globalization.CultureInfo.InvariantCulture))) },
        };
    }

    [Fact]
    public void Keys_differing_only_in_case_are_different_keys()
    {
        string[] keys = ["Theme", "theme", "THEME", "tHeMe", "config.Theme.font", "config.theme.font", "CONFIG.theme", "con", "CON", "Con", "nul.aux", "com1", "LPT9.x"];
        using (IStateStorage storage = Open())
        {
            for (int i = 0; i < keys.Length; i++)
            {
                storage.Write(Set(keys[i], (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), i + 1));
            }

            string[] sorted = [.. keys.Order(StringComparer.Ordinal)];
            Assert.Equal(sorted, storage.Keys(""));
            for (int i = 0; i < keys.Length; i++)
            {
                AssertValue(storage, keys[i], (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), i + 1);
            }

            Assert.Equal(["config.Theme.font", "config.theme.font"], storage.Keys("config"));
            Assert.Equal(["config.theme.font"], storage.Keys("config.theme"));
            Assert.Equal(["config.Theme.font"], storage.Keys("config.Theme"));
            Assert.Equal(["CONFIG.theme"], storage.Keys("CONFIG"));
            storage.Write(Delete("theme"), Delete("CON"));
            Assert.False(storage.TryGet("theme", out _));
            Assert.False(storage.TryGet("CON", out _));
            AssertValue(storage, "Theme", "1", 1);
            AssertValue(storage, "con", "8", 8);
            storage.Flush();
        }

        if (IsDurable)
        {
            using IStateStorage reopened = Open();
            Assert.Equal(keys.Length - 2, reopened.ReadAll().Count());
            AssertValue(reopened, "THEME", "3", 3);
            AssertValue(reopened, "Con", "10", 10);
        }
    }

    [Fact]
    public void Every_string_round_trips_exactly_in_values_and_metadata()
    {
        // Everything but lone surrogates (which UTF-8 cannot hold and the store rejects): astral characters, U+FFFD itself,
        // every control character, quotes, backslashes, the JavaScript line separators, BOM, non-characters.
        var controls = new string(Enumerable.Range(0, 0x20).Select(c => (char)c).ToArray()) + "\u007F\u0080\u009F";
        string[] texts =
        [
            "😀 𝄞 𠜎 🏳️‍🌈",
            "\uFFFD",
            "a\uFFFDb\uFFFD",
            controls,
            "\"quoted\" \\back\\slash\\ /slash",
            "\u2028\u2029",
            "\uFEFF\uFFFE\uFFFF",
            "\uDBFF\uDFFF\uD800\uDC00",
            "<script>&amp;'",
            "grüß dich ✓ ﻿",
            string.Empty,
        ];
        var value = new System.Text.Json.Nodes.JsonObject();
        for (int i = 0; i < texts.Length; i++)
        {
            value[$"t{i}"] = texts[i];
        }

        value["arr"] = new System.Text.Json.Nodes.JsonArray([.. texts.Select(t => (System.Text.Json.Nodes.JsonNode?)System.Text.Json.Nodes.JsonValue.Create(t))]);
        string json = value.ToJsonString();
        var metadata = new EntryMetadata(2, T0, T0)
        {
            ModifiedBy = texts[0] + texts[3],
            Comment = string.Concat(texts),
            Tags = [.. texts],
            SchemaHash = texts[1],
            RevisionHistory = [new EntryRevision(2, texts[5], texts[6], texts[7], T0, texts[4]), new EntryRevision(1, null, null, null, T0, texts[0])],
        };
        using (IStateStorage storage = Open())
        {
            storage.Write(new StorageWrite("text.all", new StoredEntry(Encoding.UTF8.GetBytes(json), metadata)));
            AssertRoundTrip(storage);
            storage.Flush();
        }

        if (IsDurable)
        {
            using IStateStorage reopened = Open();
            AssertRoundTrip(reopened);
        }

        void AssertRoundTrip(IStateStorage storage)
        {
            Assert.True(storage.TryGet("text.all", out StoredEntry? read));
            var node = System.Text.Json.Nodes.JsonNode.Parse(read.ValueJson.Span)!;
            for (int i = 0; i < texts.Length; i++)
            {
                Assert.Equal(texts[i], (string?)node[$"t{i}"], StringComparer.Ordinal);
                Assert.Equal(texts[i], (string?)node["arr"]![i], StringComparer.Ordinal);
            }

            Assert.Equal(metadata.ModifiedBy, read.Metadata.ModifiedBy, StringComparer.Ordinal);
            Assert.Equal(metadata.Comment, read.Metadata.Comment, StringComparer.Ordinal);
            Assert.Equal(metadata.SchemaHash, read.Metadata.SchemaHash, StringComparer.Ordinal);
            Assert.NotEmpty(read.Metadata.Tags);
            Assert.Equal(metadata.Tags, read.Metadata.Tags);
            Assert.Equal(metadata.RevisionHistory, read.Metadata.RevisionHistory);
        }
    }

    [Fact]
    public void A_corrupted_placeholder_is_never_written()
    {
        using IStateStorage storage = Open();
        storage.Write(Set("keep", "1"));
        StoredEntry placeholder = StoredEntry.Corrupted(new StorageCorruptionException("keep", "nowhere", "a test"));
        var ex = Assert.Throws<ArgumentException>(() => storage.Write([Set("first", "1"), new StorageWrite("keep", placeholder)]));
        Assert.Contains("'keep'", ex.Message, StringComparison.Ordinal);
        Assert.Equal(["keep"], storage.Keys(""));
        AssertValue(storage, "keep", "1", 1);
    }

    [Fact]
    public void ReadAll_returns_every_entry()
    {
        using IStateStorage storage = Open();
        storage.Write(Set("x", "1", 1), Set("x.y", "2", 2), Set("z", "3", 3));
        storage.Write(Delete("z"));
        var all = storage.ReadAll().ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal(2, all.Count);
        Assert.Equal("1", Json(all["x"]));
        Assert.Equal(2, all["x.y"].Metadata.Version);
    }

    [Fact]
    public void ReadAll_of_an_empty_storage_is_empty()
    {
        using IStateStorage storage = Open();
        Assert.Empty(storage.ReadAll());
        Assert.Empty(storage.Keys(""));
    }

    [Fact]
    public void Writes_within_one_commit_apply_in_order()
    {
        using IStateStorage storage = Open();
        storage.Write([Set("x", "1"), Delete("x"), Delete("y"), Set("y", "2"), Set("z", "1", 1), Set("z", "2", 2)]);
        Assert.False(storage.TryGet("x", out _));
        Assert.True(storage.TryGet("y", out StoredEntry? y));
        Assert.Equal("2", Json(y));
        Assert.True(storage.TryGet("z", out StoredEntry? z));
        Assert.Equal(2, z.Metadata.Version);
        Assert.Equal(["y", "z"], storage.Keys(""));
    }

    [Fact]
    public void An_empty_commit_changes_nothing()
    {
        using IStateStorage storage = Open();
        storage.Write(Set("a", "1"));
        storage.Write([]);
        Assert.Equal(["a"], storage.Keys(""));
    }

    [Fact]
    public void Persists_across_dispose_and_reopen()
    {
        if (!IsDurable)
        {
            return;
        }

        using (IStateStorage storage = Open())
        {
            storage.Write(Set("keep", "1", 1), Set("keep.child", "2", 4), Set("gone", "3"));
            storage.Write(Delete("gone"));
            storage.Flush();
        }

        using (IStateStorage reopened = Open())
        {
            Assert.Equal(["keep", "keep.child"], reopened.Keys(""));
            Assert.True(reopened.TryGet("keep.child", out StoredEntry? child));
            Assert.Equal(4, child.Metadata.Version);
            Assert.Equal("2", Json(child));
            reopened.Write(Set("keep", "5", 2));
        }

        using IStateStorage third = Open();
        Assert.True(third.TryGet("keep", out StoredEntry? keep));
        Assert.Equal(2, keep.Metadata.Version);
    }

    [Fact]
    public void Concurrent_writers_and_readers_lose_nothing()
    {
        using IStateStorage storage = Open();
        const int threads = 4;
        const int writesPerThread = 20;
        var errors = new List<Exception>();
        Parallel.For(0, threads, t =>
        {
            try
            {
                for (int i = 1; i <= writesPerThread; i++)
                {
                    storage.Write([Set($"t{t}.k{i % 5}", i.ToString(System.Globalization.CultureInfo.InvariantCulture), i), Set($"t{t}.last", "0", i)]);
                    Assert.True(storage.TryGet($"t{t}.last", out StoredEntry? last));
                    Assert.Equal(i, last.Metadata.Version);
                    _ = storage.Keys($"t{(t + 1) % threads}");
                    if (i % 10 == 0)
                    {
                        _ = storage.ReadAll().Count();
                    }
                }
            }
            catch (Exception ex)
            {
                lock (errors)
                {
                    errors.Add(ex);
                }
            }
        });

        Assert.Empty(errors);
        for (int t = 0; t < threads; t++)
        {
            Assert.Equal(6, storage.Keys($"t{t}").Count);
            Assert.True(storage.TryGet($"t{t}.last", out StoredEntry? last));
            Assert.Equal(writesPerThread, last.Metadata.Version);
        }
    }

    [Fact]
    public void A_disposed_driver_throws_ObjectDisposedException()
    {
        IStateStorage storage = Open();
        storage.Write(Set("a", "1"));
        storage.Dispose();
        storage.Dispose();
        Assert.Throws<ObjectDisposedException>(() => storage.TryGet("a", out _));
        Assert.Throws<ObjectDisposedException>(() => storage.Keys(""));
        Assert.Throws<ObjectDisposedException>(() => storage.ReadAll().ToList());
        Assert.Throws<ObjectDisposedException>(() => storage.Write(Set("b", "1")));
        Assert.Throws<ObjectDisposedException>(storage.Flush);
    }

    [Fact]
    public void Null_arguments_throw_ArgumentNullException()
    {
        using IStateStorage storage = Open();
        Assert.Throws<ArgumentNullException>(() => storage.TryGet(null!, out _));
        Assert.Throws<ArgumentNullException>(() => storage.Keys(null!));
        Assert.Throws<ArgumentNullException>(() => storage.Write(null!));
        Assert.Throws<ArgumentNullException>(() => storage.Write([default(StorageWrite)]));
        Assert.Empty(storage.Keys(""));
    }

    private static void AssertValue(IStateStorage storage, string key, string json, long version)
    {
        Assert.True(storage.TryGet(key, out StoredEntry? entry), $"'{key}' is missing");
        Assert.Null(entry.Corruption);
        Assert.Equal(json, Json(entry));
        Assert.Equal(version, entry.Metadata.Version);
    }

    [Fact]
    public void Flush_succeeds_with_nothing_and_with_something_written()
    {
        using IStateStorage storage = Open();
        storage.Flush();
        storage.Write(Set("a", "1"));
        storage.Flush();
        Assert.True(storage.TryGet("a", out _));
    }
}
