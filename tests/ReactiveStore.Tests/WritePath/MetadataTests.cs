namespace ReactiveStore.Tests.WritePath;

public sealed class MetadataTests
{
    private static readonly DateTimeOffset s_start = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Writes_record_authorship_tags_comment_schema_and_hash()
    {
        var clock = new ManualTimeProvider(s_start);
        using var store = new StateStore(new StateStoreOptions { DispatchMode = DispatchMode.Inline, TimeProvider = clock });
        StateEntry<string> first = store.Set("doc.title", "Draft", new SetOptions { ModifiedBy = "ada", Comment = "first", Tags = ["draft", "en"], SchemaHash = "s1" });
        clock.Advance(TimeSpan.FromMinutes(1));
        StateEntry<string> second = store.Set("doc.title", "Final", new SetOptions { ModifiedBy = "grace" });

        Assert.Equal("ada", first.Metadata.ModifiedBy);
        Assert.Equal("first", first.Metadata.Comment);
        Assert.Equal(["draft", "en"], first.Metadata.Tags);
        Assert.Equal("s1", first.Metadata.SchemaHash);
        Assert.Equal(64, first.Metadata.DataHash!.Length);

        Assert.Equal(2, second.Metadata.Version);
        Assert.Equal(s_start, second.Metadata.CreatedAt);
        Assert.Equal(s_start.AddMinutes(1), second.Metadata.UpdatedAt);
        Assert.Equal("grace", second.Metadata.ModifiedBy);
        Assert.Null(second.Metadata.Comment);
        Assert.Equal(["draft", "en"], second.Metadata.Tags); // tags carry over unless replaced
        Assert.Null(second.Metadata.SchemaHash);
        Assert.NotEqual(first.Metadata.DataHash, second.Metadata.DataHash);
    }

    [Fact]
    public void Revision_history_is_bounded_newest_first_and_includes_the_current_revision()
    {
        var clock = new ManualTimeProvider(s_start);
        using var store = new StateStore(new StateStoreOptions { DispatchMode = DispatchMode.Inline, TimeProvider = clock, MaxRevisions = 3 });
        for (int i = 1; i <= 5; i++)
        {
            store.Set("n", i, new SetOptions { ModifiedBy = $"w{i}", Comment = $"c{i}" });
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        IReadOnlyList<EntryRevision> history = store.GetEntry<int>("n")!.Metadata.RevisionHistory;
        Assert.Equal([5L, 4L, 3L], history.Select(r => r.Version));
        Assert.Equal(["w5", "w4", "w3"], history.Select(r => r.ModifiedBy));
        Assert.Equal(["c5", "c4", "c3"], history.Select(r => r.Comment));
        Assert.Equal(s_start.AddSeconds(4), history[0].Timestamp);
        Assert.Equal(store.GetEntry<int>("n")!.Metadata.DataHash, history[0].DataHash);
    }

    [Fact]
    public void MaxRevisions_zero_keeps_no_history()
    {
        using var store = new StateStore(new StateStoreOptions { DispatchMode = DispatchMode.Inline, MaxRevisions = 0 });
        store.Set("n", 1);
        store.Set("n", 2);
        Assert.Empty(store.GetEntry<int>("n")!.Metadata.RevisionHistory);
        Assert.Throws<ArgumentOutOfRangeException>(() => new StateStoreOptions { MaxRevisions = -1 });
    }

    [Fact]
    public void Events_carry_the_new_and_previous_metadata()
    {
        using var store = TestSupport.Inline();
        StateEntry<int> first = store.Set("n", 1);
        StateEvent? seen = null;
        using var sub = store.Subscribe("n", e => seen = e);
        StateEntry<int> second = store.Set("n", 2, new SetOptions { ModifiedBy = "me" });
        Assert.Same(second.Metadata, seen!.Metadata);
        Assert.Same(first.Metadata, seen.PreviousMetadata);
        Assert.Equal("me", seen.Metadata!.ModifiedBy);
    }

    [Fact]
    public void The_same_data_hashes_the_same_whatever_its_type_and_property_order()
    {
        using var store = TestSupport.Inline();
        string? fromRecord = store.Set("a", new Point(1, 2)).Metadata.DataHash;
        string? fromOtherOrder = store.Set("b", new PointReversed(2, 1)).Metadata.DataHash;
        string? fromJson = store.Set("c", System.Text.Json.JsonDocument.Parse("""{ "y": 2,  "x": 1 }""").RootElement).Metadata.DataHash;
        Assert.Equal(fromRecord, fromOtherOrder);
        Assert.Equal(fromRecord, fromJson);

        // SHA-256 of the canonical JSON text {"x":1,"y":2}.
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("""{"x":1,"y":2}"""u8)), fromRecord);
    }

    [Fact]
    public void Primitives_hash_like_their_serialized_json_whatever_path_writes_them()
    {
        using var store = TestSupport.Inline();
        AssertSameHash(store, 42);
        AssertSameHash(store, -7L);
        AssertSameHash(store, true);
        AssertSameHash(store, 1.5);
        AssertSameHash(store, 1e20);
        AssertSameHash(store, 0.1 + 0.2);
        AssertSameHash(store, 1.50m);
        AssertSameHash(store, Guid.Parse("4f1e3a52-6b0c-4a51-9d1e-0c7a5b7f9e21"));
        AssertSameHash(store, new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc));
        AssertSameHash(store, new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)));
        AssertSameHash(store, "quote \" and <tag> and ü and 😀");
        AssertSameHash<string?>(store, null);
    }

    private static void AssertSameHash<T>(StateStore store, T value)
    {
        // The fast path writes primitives directly; a JsonElement goes through the serializer: both must agree.
        string? direct = store.Set("h.direct", value).Metadata.DataHash;
        var element = System.Text.Json.JsonSerializer.SerializeToElement(value);
        string? viaJson = store.Set("h.json", element).Metadata.DataHash;
        Assert.Equal(viaJson, direct);
        store.Delete("h");
    }

    [Fact]
    public void Hashing_can_be_switched_off_or_replaced()
    {
        using var off = new StateStore(new StateStoreOptions { DispatchMode = DispatchMode.Inline, HashingService = null });
        Assert.Null(off.Set("a", 1).Metadata.DataHash);

        using var custom = new StateStore(new StateStoreOptions { DispatchMode = DispatchMode.Inline, HashingService = new LengthHashing() });
        Assert.Equal("len:1", custom.Set("a", 7).Metadata.DataHash);
        Assert.Equal("len:7", custom.Set("b", "hello").Metadata.DataHash); // "hello" with quotes
    }

    [Fact]
    public void SetOptions_are_validated_before_anything_is_written()
    {
        using var store = TestSupport.Inline();
        Assert.Throws<ArgumentException>(() => store.Set("a", 1, new SetOptions { Ttl = TimeSpan.FromSeconds(1), ExpiresAt = DateTimeOffset.UtcNow }));
        Assert.Throws<ArgumentException>(() => store.Set("a", 1, new SetOptions { Ttl = TimeSpan.Zero }));
        Assert.Throws<ArgumentException>(() => store.Set("a", 1, new SetOptions { ExpectedVersion = -1 }));
        Assert.False(store.Exists("a"));
    }

    private sealed record Point(int X, int Y);

    private sealed record PointReversed(int Y, int X);

    private sealed class LengthHashing : IHashingService
    {
        public string Hash(ReadOnlySpan<byte> canonicalJson) => $"len:{canonicalJson.Length}";
    }
}
