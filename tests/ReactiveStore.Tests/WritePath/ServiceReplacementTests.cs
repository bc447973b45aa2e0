using Microsoft.Extensions.Logging;
using ReactiveStore.Storage;

namespace ReactiveStore.Tests.WritePath;

public sealed class ServiceReplacementTests
{
    [Fact]
    public void A_replaced_key_service_decides_the_storage_keys_and_loading_parses_them_back()
    {
        var storage = new InMemoryStorage();
        var keys = new PrefixedKeys();
        using (var store = new StateStore(new StateStoreOptions { DispatchMode = DispatchMode.Inline, Storage = new NonDisposing(storage), KeyService = keys }))
        {
            store.Set("a.b", 1);
        }

        Assert.Equal(["tenant1/a.b"], storage.Keys(""));
        using var reopened = new StateStore(new StateStoreOptions { DispatchMode = DispatchMode.Inline, Storage = new NonDisposing(storage), KeyService = keys });
        Assert.Equal(1, reopened.Get<int>("a.b"));
        Assert.True(keys.Parsed > 0);
    }

    [Fact]
    public void A_replaced_metadata_service_builds_every_entry()
    {
        using var store = new StateStore(new StateStoreOptions { DispatchMode = DispatchMode.Inline, MetadataService = new StampingMetadata() });
        Assert.Equal("stamped", store.Set("a", 1).Metadata.ModifiedBy);
        Assert.Equal(10, store.Set("a", 2).Metadata.Version);
    }

    [Fact]
    public void A_replaced_lock_manager_is_asked_for_every_written_key()
    {
        var locks = new CountingLocks();
        using var store = new StateStore(new StateStoreOptions { DispatchMode = DispatchMode.Inline, LockManager = locks });
        store.Set("users.a", 1);
        store.Set("orders.b", 1);
        store.Delete("users");
        Assert.Equal(["users.a", "orders.b", "users"], locks.Acquired);
        Assert.Equal(0, locks.Held);
    }

    [Fact]
    public void A_failing_service_leaves_the_store_unchanged()
    {
        // The metadata service runs inside every write (hashing no longer does: it is computed when first needed).
        using var store = new StateStore(new StateStoreOptions { DispatchMode = DispatchMode.Inline, MetadataService = new FailingMetadata("deep.new.key") });
        var events = new List<StateEvent>();
        using var sub = store.Subscribe("*", events.Add);
        Assert.Throws<InvalidOperationException>(() => store.Set("deep.new.key", 1));
        Assert.False(store.Exists("deep"));
        Assert.Empty(events);
        Assert.Equal(0, store.Count);
        Assert.Equal(0, store.Version);
    }

    [Fact]
    public void A_failing_storage_rolls_the_commit_back_and_emits_nothing()
    {
        var storage = new FlakyStorage();
        using var store = new StateStore(new StateStoreOptions { DispatchMode = DispatchMode.Inline, Storage = storage });
        store.Set("a", 1);
        var events = new List<StateEvent>();
        using var sub = store.Subscribe("*", events.Add);
        storage.FailNext = true;

        Assert.Throws<IOException>(() => store.Batch(w =>
        {
            w.Set("a", 2);
            w.Set("b", 3);
        }));

        Assert.Equal(1, store.Get<int>("a"));
        Assert.False(store.Exists("b"));
        Assert.Empty(events);
        storage.FailNext = true;
        Assert.Throws<IOException>(() => store.Delete("a"));
        Assert.Equal(1, store.Get<int>("a"));

        store.Set("a", 4);
        Assert.Single(events);
        Assert.Equal(4, store.Get<int>("a"));
    }

    [Fact]
    public void A_failing_hashing_service_fails_a_durable_write_and_leaves_the_store_unchanged()
    {
        // A durable write hashes the bytes it persists, inside the commit: a failure there fails the write.
        using var store = new StateStore(new StateStoreOptions { DispatchMode = DispatchMode.Inline, Storage = new InMemoryStorage(), HashingService = new FailingHashing() });
        var events = new List<StateEvent>();
        using var sub = store.Subscribe("*", events.Add);
        Assert.Throws<InvalidOperationException>(() => store.Set("deep.new.key", 1));
        Assert.False(store.Exists("deep.new.key"));
        Assert.Empty(events);
        Assert.Equal(0, store.Version);
    }

    [Fact]
    public void In_memory_the_hash_is_computed_when_first_read_and_its_failure_surfaces_there()
    {
        using var store = new StateStore(new StateStoreOptions { DispatchMode = DispatchMode.Inline, HashingService = new FailingHashing() });
        StateEntry<int> entry = store.Set("a", 1);
        Assert.Equal(1, store.Get<int>("a"));
        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => entry.Metadata.DataHash);
        Assert.Equal("hashing failed", error.Message);
    }

    [Fact]
    public void The_logging_decorator_logs_start_end_duration_and_outcome()
    {
        var logs = new CollectingLoggerProvider();
        using var factory = LoggerFactory.Create(b => LoggingBuilderExtensions.AddProvider(b, logs).SetMinimumLevel(LogLevel.Debug));
        using var store = new StateStore(new StateStoreOptions { DispatchMode = DispatchMode.Inline, LoggerFactory = factory, MetadataService = new FailingMetadata("y") });
        store.Set("x", 1);
        store.Delete("x");
        Assert.Throws<InvalidOperationException>(() => store.Set("y", -1));

        string[] writePath = logs.Entries.Where(e => e.Category == "ReactiveStore.WritePath").Select(e => e.Message).ToArray();
        Assert.Contains("Set 'x' started", writePath);
        Assert.Contains(writePath, m => m.StartsWith("Set 'x' done in ", StringComparison.Ordinal) && m.EndsWith("version 1", StringComparison.Ordinal));
        Assert.Contains(writePath, m => m.StartsWith("Delete 'x' done in ", StringComparison.Ordinal) && m.EndsWith("1 key(s) removed", StringComparison.Ordinal));
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.StartsWith("Set 'y' failed after", StringComparison.Ordinal));
    }

    private sealed class PrefixedKeys : IKeyService
    {
        public int Parsed { get; private set; }

        public string Serialize(StatePath path) => "tenant1/" + path;

        public StatePath Parse(string key)
        {
            Parsed++;
            return StatePath.Parse(key["tenant1/".Length..]);
        }
    }

    private sealed class StampingMetadata : IMetadataService
    {
        public EntryMetadata Create(StatePath path, SetOptions? options, DateTimeOffset now) => new(9, now, now) { ModifiedBy = "stamped" };

        public EntryMetadata Next(EntryMetadata current, SetOptions? options, DateTimeOffset now) => new(current.Version + 1, current.CreatedAt, now);
    }

    private sealed class CountingLocks : ILockManager
    {
        public List<string> Acquired { get; } = [];

        public int Held { get; private set; }

        public IDisposable Acquire(StatePath path)
        {
            Acquired.Add(path.ToString());
            Held++;
            return new Release(this);
        }

        private sealed class Release(CountingLocks owner) : IDisposable
        {
            public void Dispose() => owner.Held--;
        }
    }

    private sealed class FailingHashing : IHashingService
    {
        public string Hash(ReadOnlySpan<byte> canonicalJson) => throw new InvalidOperationException("hashing failed");
    }

    private sealed class FailingMetadata(string failingPath) : IMetadataService
    {
        private readonly MetadataService _inner = new(16);

        public EntryMetadata Create(StatePath path, SetOptions? options, DateTimeOffset now) =>
            path.ToString() == failingPath ? throw new InvalidOperationException("metadata failed") : _inner.Create(path, options, now);

        public EntryMetadata Next(EntryMetadata current, SetOptions? options, DateTimeOffset now) => _inner.Next(current, options, now);
    }

    /// <summary>A real in-memory driver that can be told to fail its next write, as a full disk would.</summary>
    private sealed class FlakyStorage : IStateStorage
    {
        private readonly InMemoryStorage _inner = new();

        public bool FailNext { get; set; }

        public IEnumerable<KeyValuePair<string, StoredEntry>> ReadAll() => _inner.ReadAll();

        public bool TryGet(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out StoredEntry? entry) => _inner.TryGet(key, out entry);

        public IReadOnlyList<string> Keys(string prefix) => _inner.Keys(prefix);

        public void Write(IReadOnlyList<StorageWrite> writes)
        {
            if (FailNext)
            {
                FailNext = false;
                throw new IOException("No space left on device");
            }

            _inner.Write(writes);
        }

        public void Flush() => _inner.Flush();

        public void Dispose() => _inner.Dispose();
    }
}

/// <summary>Hands a driver to a store without letting the store dispose it, so a test can reopen the same driver.</summary>
internal sealed class NonDisposing(IStateStorage inner) : IStateStorage
{
    public int Writes { get; private set; }

    public IEnumerable<KeyValuePair<string, StoredEntry>> ReadAll() => inner.ReadAll();

    public bool TryGet(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out StoredEntry? entry) => inner.TryGet(key, out entry);

    public IReadOnlyList<string> Keys(string prefix) => inner.Keys(prefix);

    public void Write(IReadOnlyList<StorageWrite> writes)
    {
        Writes++;
        inner.Write(writes);
    }

    public void Flush() => inner.Flush();

    public void Dispose()
    {
    }
}
