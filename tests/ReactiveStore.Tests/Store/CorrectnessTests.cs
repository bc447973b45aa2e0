using System.Text.Json.Nodes;
using ReactiveStore.Signals;
using ReactiveStore.Storage;
using ReactiveStore.Tests.Storage;

namespace ReactiveStore.Tests.Store;

/// <summary>Regressions of issue 9: whatever Set accepts persists and reads back; whatever cannot, Set rejects first.</summary>
public sealed class CorrectnessTests : IDisposable
{
    private readonly string _directory = StorageTestSupport.NewTempDirectory();

    public void Dispose() => StorageTestSupport.DeleteDirectory(_directory);

    [Fact]
    public void A_write_made_by_a_Track_effect_reaches_storage_and_survives_a_restart()
    {
        string folder = Path.Combine(_directory, "effect");
        using (StateStore store = Durable(folder))
        {
            using IDisposable mirror = store.Track(ctx => store.Set("mirror", ctx.Get<int>("source") * 2));
            store.Set("source", 21);
            Assert.Equal(42, store.Get<int>("mirror"));
        }

        using StateStore reopened = Durable(folder);
        Assert.Equal(42, reopened.Get<int>("mirror"));
        Assert.Equal(21, reopened.Get<int>("source"));
    }

    [Fact]
    public void A_write_made_inside_a_signal_effect_reaches_storage()
    {
        string folder = Path.Combine(_directory, "signal-effect");
        var signal = new Signal<int>(0);
        using (StateStore store = Durable(folder))
        {
            using var effect = new Effect(() =>
            {
                int value = signal.Value;
                if (value != 0)
                {
                    store.Set("from.signal", value);
                }
            });
            signal.Value = 7;

            // The write was queued while the effect held the engine lock, and committed when the signal's write returned.
            Assert.Equal(7, store.Get<int>("from.signal"));
        }

        using StateStore reopened = Durable(folder);
        Assert.Equal(7, reopened.Get<int>("from.signal"));
    }

    [Fact]
    public void A_write_inside_an_effect_does_not_make_the_effect_depend_on_what_it_writes()
    {
        string folder = Path.Combine(_directory, "no-self-dependency");
        using StateStore store = Durable(folder);
        int runs = 0;
        using IDisposable mirror = store.Track(ctx =>
        {
            runs++;
            int source = ctx.Get<int>("source");
            store.Set("mirror", source + 1); // queued (durable store, engine lock held): its prediction reads "mirror" untracked
        });
        Assert.Equal(1, runs);
        for (int i = 1; i <= 5; i++)
        {
            store.Set("source", i);
        }

        Assert.Equal(6, runs); // once per source write; the mirror's own writes never re-ran it
        Assert.Equal(6, store.Get<int>("mirror"));
    }

    [Fact]
    public void A_write_inside_Signals_Batch_commits_when_the_batch_ends()
    {
        using StateStore store = TestSupport.Inline();
        var signal = new Signal<int>(0);
        Signals.Signals.Batch(() =>
        {
            signal.Value = 1;
            store.Set("a", 1);
        });
        Assert.Equal(1, store.Get<int>("a"));
    }

    [Theory]
    [InlineData(50)]
    [InlineData(400)]
    [InlineData(36_500)]
    public void A_long_ttl_is_accepted_persisted_and_expires_on_time(int days)
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        string folder = Path.Combine(_directory, "ttl" + days);
        using (StateStore store = Durable(folder, clock))
        {
            store.Set("short", 1, new SetOptions { Ttl = TimeSpan.FromMinutes(1) });
            store.Set("long", 1, new SetOptions { Ttl = TimeSpan.FromDays(days) });
            clock.Advance(TimeSpan.FromMinutes(2)); // the short one fires; the long one re-arms in day-long steps
            Assert.False(store.Exists("short"));
            Assert.True(store.Exists("long"));
        }

        using StateStore reopened = Durable(folder, clock);
        Assert.True(reopened.Exists("long"));
        clock.Advance(TimeSpan.FromDays(days));
        Assert.False(reopened.Exists("long"));
        Assert.Empty(reopened.List());
    }

    [Theory]
    [InlineData("files")]
    [InlineData("sqlite")]
    public void ExpiresAt_max_value_and_a_long_ttl_are_accepted_and_the_store_reopens(string driver)
    {
        string location = Path.Combine(_directory, "max-" + driver);
        using (StateStore store = Open(driver, location))
        {
            store.Set("forever", 1, new SetOptions { ExpiresAt = DateTimeOffset.MaxValue });
            store.Set("century", 1, new SetOptions { Ttl = TimeSpan.FromDays(36_500), Tags = ["a", "b"] });
        }

        using StateStore reopened = Open(driver, location);
        Assert.Equal(DateTimeOffset.MaxValue, reopened.GetEntry<int>("forever")!.Metadata.ExpiresAt);
        Assert.Equal(["a", "b"], reopened.GetEntry<int>("century")!.Metadata.Tags);
        Assert.Equal(2, reopened.List().Count);
    }

    [Fact]
    public void A_ttl_past_the_last_representable_time_is_rejected_before_anything_commits()
    {
        using StateStore store = TestSupport.Inline();
        var events = new List<StateEvent>();
        using Subscription sub = store.Subscribe("*", events.Add);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => store.Set("a", 1, new SetOptions { Ttl = TimeSpan.MaxValue }));
        Assert.Contains("SetOptions.Ttl", error.Message, StringComparison.Ordinal);
        Assert.False(store.Exists("a"));
        Assert.Empty(events);
        Assert.Equal(0, store.Version);
    }

    [Fact]
    public void Null_or_empty_tags_are_rejected_naming_the_path_and_the_tag()
    {
        using StateStore store = TestSupport.Inline();
        var error = Assert.Throws<ArgumentException>(() => store.Set("doc", 1, new SetOptions { Tags = ["a", null!] }));
        Assert.Contains("'doc'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Tags[1] is null", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => store.Set("doc", 1, new SetOptions { Tags = [""] }));
        Assert.False(store.Exists("doc"));
    }

    [Fact]
    public void A_lone_surrogate_is_rejected_in_values_nested_values_and_metadata()
    {
        using StateStore store = TestSupport.Inline();
        var direct = Assert.Throws<StateSerializationException>(() => store.Set("s", "a\uD800b"));
        Assert.Contains("'s'", direct.Message, StringComparison.Ordinal);
        Assert.Contains("U+D800", direct.Message, StringComparison.Ordinal);
        Assert.Throws<StateSerializationException>(() => store.Set("o", new Named("x\uDC00")));
        Assert.Throws<ArgumentException>(() => store.Set("m", 1, new SetOptions { Comment = "\uD83D" }));
        Assert.Empty(store.List());

        // A valid pair is fine, and U+FFFD itself is an ordinary character.
        store.Set("ok", "\uD83D\uDE00 \uFFFD");
        Assert.Equal("\uD83D\uDE00 \uFFFD", store.Get<string>("ok"));
    }

    [Fact]
    public void A_value_that_cannot_be_serialized_is_rejected_whatever_the_hashing_setting()
    {
        using var store = new StateStore(new StateStoreOptions { DispatchMode = DispatchMode.Inline, HashingService = null });
        var cycle = new Node();
        cycle.Next = cycle;
        StateSerializationException cyclic = Assert.Throws<StateSerializationException>(() => store.Set("c", cycle));
        Assert.Contains("'c'", cyclic.Message, StringComparison.Ordinal);
        Assert.Contains("Node", cyclic.Message, StringComparison.Ordinal);
        Assert.Throws<StateSerializationException>(() => store.Set("n", double.NaN));
        Assert.Throws<StateSerializationException>(() => store.Set("i", double.PositiveInfinity));
        Assert.Throws<StateSerializationException>(() => store.Set("f", float.NegativeInfinity));
        Assert.Throws<StateSerializationException>(() => store.Set("o", new Measure(double.NaN)));
        Assert.Empty(store.List());

        // So a later read of an ancestor never meets an unreadable value.
        store.Set("tree.a", 1.5);
        Assert.Equal("""{"a":1.5}""", store.GetNode("tree")!.ToJsonString());
    }

    [Fact]
    public void DateTimes_of_another_kind_and_offsets_of_another_zone_are_not_equal_writes()
    {
        using StateStore store = TestSupport.Inline();
        var utc = new DateTime(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);
        store.Set("d", utc);
        StateEntry<DateTime> local = store.Set("d", DateTime.SpecifyKind(utc, DateTimeKind.Local));
        Assert.Equal(2, local.Metadata.Version);
        Assert.Equal(DateTimeKind.Local, store.Get<DateTime>("d").Kind);

        var inParis = new DateTimeOffset(2026, 1, 1, 13, 0, 0, TimeSpan.FromHours(1));
        store.Set("o", inParis.ToUniversalTime());
        Assert.Equal(2, store.Set("o", inParis).Metadata.Version);
        Assert.Equal(TimeSpan.FromHours(1), store.Get<DateTimeOffset>("o").Offset);
    }

    [Fact]
    public void List_Exists_and_subtree_reads_treat_expired_values_as_gone_before_the_timer_runs()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using StateStore store = TestSupport.Inline(clock);
        store.Set("s.token", "t", new SetOptions { Ttl = TimeSpan.FromMinutes(1) });
        store.Set("s.user", "ada");

        // Move the clock without firing timers: the entry is past its expiry but not deleted yet.
        clock.SetWithoutFiring(clock.GetUtcNow() + TimeSpan.FromMinutes(5));
        Assert.Equal(["s.user"], store.List().Select(p => p.ToString()));
        Assert.False(store.Exists("s.token"));
        Assert.Equal("""{"user":"ada"}""", store.GetNode("s")!.ToJsonString());
        Assert.False(store.TryGet<string>("s.token", out _));
    }

    [Fact]
    public void The_expiry_timer_survives_a_failing_storage_and_retries_until_the_delete_lands()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var storage = new ProbeStorage();
        using var store = new StateStore(new StateStoreOptions { DispatchMode = DispatchMode.Inline, Storage = storage, TimeProvider = clock });
        var events = new List<StateEvent>();
        using Subscription sub = store.Subscribe("*", events.Add);
        store.Set("temp", 1, new SetOptions { Ttl = TimeSpan.FromMinutes(1) });

        storage.FailWrites = true;
        clock.Advance(TimeSpan.FromMinutes(2)); // the delete fails: no crash, nothing lost, the schedule is kept
        Assert.True(storage.Inner.TryGet("temp", out _));
        Assert.Single(events);
        Assert.False(store.Exists("temp")); // it still reads as missing

        storage.FailWrites = false;
        clock.Advance(TimeSpan.FromMinutes(2)); // the retry lands
        Assert.False(storage.Inner.TryGet("temp", out _));
        Assert.Equal([StateEventType.Set, StateEventType.Delete], events.Select(e => e.Type));
    }

    [Fact]
    public void Refreshing_a_ttl_a_million_times_keeps_one_schedule()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using StateStore store = TestSupport.Inline(clock);
        for (int i = 0; i < 100_000; i++)
        {
            store.Set("session", i, new SetOptions { Ttl = TimeSpan.FromHours(1) });
        }

        Assert.Equal(1, store.ExpirySchedules);
        Assert.True(store.ExpiryQueueLength <= 130, $"{store.ExpiryQueueLength} queued schedules for one key");
    }

    [Fact]
    public void A_failing_final_flush_still_closes_the_storage_and_is_reported()
    {
        var storage = new FlushFailingStorage(new InMemoryStorage());
        var store = new StateStore(new StateStoreOptions { DispatchMode = DispatchMode.Inline, Storage = storage });
        store.Set("a", 1);
        storage.FailFlush = true;
        IOException error = Assert.Throws<IOException>(store.Shutdown);
        Assert.Equal("flush failed", error.Message);
        Assert.True(storage.IsDisposed);
        Assert.True(store.IsDisposed);
    }

    [Fact]
    public void A_corrupt_file_does_not_stop_the_store_reading_it_throws_naming_the_file_and_a_write_repairs_it()
    {
        string folder = Path.Combine(_directory, "corrupt");
        using (StateStore store = Durable(folder))
        {
            store.Set("good", 1);
            store.Set("bad", 2);
        }

        string badFile = Path.Combine(folder, "bad.json");
        Assert.True(File.Exists(badFile));
        File.WriteAllText(badFile, "{ this is not json");
        using (StateStore store = Durable(folder))
        {
            Assert.Equal(1, store.Get<int>("good"));
            Assert.True(store.Exists("bad"));
            StorageCorruptionException error = Assert.Throws<StorageCorruptionException>(() => store.Get<int>("bad"));
            Assert.Contains("bad.json", error.Message, StringComparison.Ordinal);
            Assert.Throws<StorageCorruptionException>(() => store.GetNode(StatePath.Root));
            store.Set("bad", 3);
            Assert.Equal(3, store.Get<int>("bad"));
        }

        using StateStore repaired = Durable(folder);
        Assert.Equal(3, repaired.Get<int>("bad"));
    }

    [Fact]
    public void Ping_refuses_reserved_paths()
    {
        using StateStore store = TestSupport.Inline();
        Assert.Throws<InvalidPathException>(() => store.Ping("__x"));
        Assert.Throws<InvalidPathException>(() => store.Ping("a.__b"));
        Assert.Equal(0, store.Version);
    }

    [Fact]
    public void A_value_of_an_unsupported_type_fails_naming_the_path_and_the_type()
    {
        using StateStore store = TestSupport.Inline();
        StateSerializationException error = Assert.Throws<StateSerializationException>(() => store.Set("p", new IntPtr(5)));
        Assert.Contains("'p'", error.Message, StringComparison.Ordinal);
        Assert.Contains("IntPtr", error.Message, StringComparison.Ordinal);
        Assert.Equal(StatePath.Parse("p"), error.Path);
    }

    [Fact]
    public void DeriveMany_takes_strings_paths_and_keys_without_ambiguity()
    {
        using StateStore store = TestSupport.Inline();
        store.Set("a", 1);
        store.Set("b", 2);
        using Derivation<int> fromStrings = store.DeriveMany("sum1", ["a", "b"], d => d.Get<int>(0) + d.Get<int>(1));
        using Derivation<int> fromPaths = store.DeriveMany("sum2", [StatePath.Parse("a"), StatePath.Parse("b")], d => d.Get<int>(0) + d.Get<int>(1));
        StateKey<int> a = new("a");
        StateKey<int> b = new("b");
        using Derivation<int> fromKeys = store.DeriveMany(StatePath.Parse("sum3"), [a, b], d => d.Get<int>(0) + d.Get<int>(1));
        Assert.Equal([3, 3, 3], new[] { store.Get<int>("sum1"), store.Get<int>("sum2"), store.Get<int>("sum3") });
    }

    [Fact]
    public void Every_default_write_path_service_is_public_and_decoratable()
    {
        var hashing = new CountingHashing(new Sha256HashingService());
        var keys = new DottedKeyService();
        var metadata = new MetadataService(4);
        var locks = new NamespaceLockManager();
        using var store = new StateStore(new StateStoreOptions
        {
            DispatchMode = DispatchMode.Inline,
            HashingService = hashing,
            KeyService = keys,
            MetadataService = metadata,
            LockManager = locks,
            Storage = new InMemoryStorage(),
        });
        store.Set("a.b", 1);
        Assert.Equal(1, hashing.Calls);
        Assert.Equal(64, store.GetEntry<int>("a.b")!.Metadata.DataHash!.Length);
        Assert.IsType<JsonObject>(new PayloadFormationService().Form(store, new PayloadMapping().Add("x", "a.b")));
    }

    private static StateStore Open(string driver, string location) => new(new StateStoreOptions
    {
        DispatchMode = DispatchMode.Inline,
        Storage = driver == "sqlite" ? new SqliteStorage(location + ".db") : new FileSystemStorage(location),
    });

    private StateStore Durable(string folder, TimeProvider? clock = null) =>
        new(new StateStoreOptions { DispatchMode = DispatchMode.Inline, Storage = new FileSystemStorage(folder), TimeProvider = clock ?? TimeProvider.System });

    private sealed record Named(string Name);

    private sealed record Measure(double Value);

    private sealed class Node
    {
        public Node? Next { get; set; }
    }

    private sealed class CountingHashing(IHashingService inner) : IHashingService
    {
        public int Calls { get; private set; }

        public string Hash(ReadOnlySpan<byte> canonicalJson)
        {
            Calls++;
            return inner.Hash(canonicalJson);
        }
    }

    private sealed class FlushFailingStorage(IStateStorage inner) : IStateStorage
    {
        public bool FailFlush { get; set; }

        public bool IsDisposed { get; private set; }

        public IEnumerable<KeyValuePair<string, StoredEntry>> ReadAll() => inner.ReadAll();

        public bool TryGet(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out StoredEntry? entry) => inner.TryGet(key, out entry);

        public IReadOnlyList<string> Keys(string prefix) => inner.Keys(prefix);

        public void Write(IReadOnlyList<StorageWrite> writes) => inner.Write(writes);

        public void Flush()
        {
            if (FailFlush)
            {
                throw new IOException("flush failed");
            }

            inner.Flush();
        }

        public void Dispose()
        {
            IsDisposed = true;
            inner.Dispose();
        }
    }
}
