using System.Text.Json.Nodes;

namespace ReactiveStore.Tests.Store;

public sealed class StoreDataTests
{
    [Fact]
    public void Set_then_Get_returns_typed_values()
    {
        using var store = TestSupport.Inline();
        store.Set("config.theme", "dark");
        store.Set("config.size", 14);
        store.Set("config.ratio", 1.5m);

        Assert.Equal("dark", store.Get<string>("config.theme"));
        Assert.Equal(14, store.Get<int>("config.size"));
        Assert.Equal(1.5m, store.Get<decimal>("config.ratio"));
        Assert.Equal(3, store.Count);
    }

    [Fact]
    public void Get_of_a_missing_path_returns_default_or_the_given_default()
    {
        using var store = TestSupport.Inline();
        Assert.Null(store.Get<string>("nope"));
        Assert.Equal(0, store.Get<int>("nope"));
        Assert.Equal(42, store.Get("nope", 42));
        Assert.Equal("x", store.Get("nope.deeper", "x"));
        Assert.False(store.TryGet<int>("nope", out _));
    }

    [Fact]
    public void Typed_keys_read_and_write_without_casts()
    {
        using var store = TestSupport.Inline();
        var key = new StateKey<int>("counter.value");
        store.Set(key, 5);
        int value = store.Get(key);
        Assert.Equal(5, value);
        Assert.Equal(9, store.Get(new StateKey<int>("counter.other"), 9));
    }

    [Fact]
    public void Set_returns_the_entry_with_per_key_versions_and_clock_times()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using var store = TestSupport.Inline(clock);

        StateEntry<int> first = store.Set("a", 1);
        clock.Advance(TimeSpan.FromMinutes(5));
        StateEntry<int> second = store.Set("a", 2);
        StateEntry<int> other = store.Set("b", 1);

        Assert.Equal(1, first.Metadata.Version);
        Assert.Equal(2, second.Metadata.Version);
        Assert.Equal(1, other.Metadata.Version);
        Assert.Equal(clock.GetUtcNow() - TimeSpan.FromMinutes(5), second.Metadata.CreatedAt);
        Assert.Equal(clock.GetUtcNow(), second.Metadata.UpdatedAt);
        Assert.Same(second, store.GetEntry<int>("a"));
        Assert.Equal(3, store.Version);
    }

    [Fact]
    public void Writing_an_equal_value_writes_nothing_and_emits_nothing()
    {
        using var store = TestSupport.Inline();
        var events = new List<StateEvent>();
        using var sub = store.Subscribe("a", events.Add);
        StateEntry<string> first = store.Set("a", "x");
        StateEntry<string> again = store.Set("a", new string('x', 1));

        Assert.Same(first, again);
        Assert.Single(events);
        Assert.Equal(1, store.Version);
    }

    [Fact]
    public void SetOptions_Comparer_decides_equality()
    {
        using var store = TestSupport.Inline();
        var events = new List<StateEvent>();
        using var sub = store.Subscribe("name", events.Add);
        store.Set("name", "Alice");
        store.Set("name", "ALICE", new SetOptions { Comparer = StringComparer.OrdinalIgnoreCase });
        Assert.Equal("Alice", store.Get<string>("name"));
        store.Set("name", "ALICE");
        Assert.Equal("ALICE", store.Get<string>("name"));
        Assert.Equal(2, events.Count);
    }

    [Fact]
    public void GetOrAdd_stores_once_and_emits_once()
    {
        using var store = TestSupport.Inline();
        var events = new List<StateEvent>();
        using var sub = store.Subscribe("*", events.Add);
        Assert.Equal(1, store.GetOrAdd("a.b", 1));
        Assert.Equal(1, store.GetOrAdd("a.b", 2));
        Assert.Single(events);
        Assert.Equal(StateEventType.Set, events[0].Type);
    }

    [Fact]
    public void A_path_with_descendants_reads_as_its_subtree()
    {
        using var store = TestSupport.Inline();
        store.Set("shop.currency", "EUR");
        store.Set("shop.cart.items", 3);
        store.Set("shop.cart.total", 12.5);

        JsonNode? node = store.GetNode("shop");
        Assert.Equal("""{"cart":{"items":3,"total":12.5},"currency":"EUR"}""", node!.ToJsonString());

        Shop? shop = store.Get<Shop>("shop");
        Assert.Equal("EUR", shop!.Currency);
        Assert.Equal(3, shop.Cart.Items);
        Assert.Equal(12.5, shop.Cart.Total);
        // Exists is about a value stored at the path itself (keys are independent), not about descendants.
        Assert.False(store.Exists("shop"));
        Assert.False(store.Exists("shop.cart"));
        Assert.True(store.Exists("shop.cart.items"));
        Assert.False(store.Exists("shop.cart.missing"));
        Assert.Equal("""{"shop":{"cart":{"items":3,"total":12.5},"currency":"EUR"}}""", store.GetNode(StatePath.Root)!.ToJsonString());
    }

    [Fact]
    public void GetNode_of_a_leaf_is_its_json_and_of_a_missing_path_is_null()
    {
        using var store = TestSupport.Inline();
        store.Set("a", new Cart(2, 3.5));
        Assert.Equal("""{"items":2,"total":3.5}""", store.GetNode("a")!.ToJsonString());
        Assert.Null(store.GetNode("b"));
        using var empty = TestSupport.Inline();
        Assert.Equal("{}", empty.GetNode("")!.ToJsonString());
    }

    [Fact]
    public void Values_convert_to_compatible_types_and_mismatches_throw_a_clear_error()
    {
        using var store = TestSupport.Inline();
        store.Set("n", 5);
        store.Set("s", "hello");
        store.Set("cart", new Cart(1, 2));

        Assert.Equal(5L, store.Get<long>("n"));
        Assert.Equal(5.0, store.Get<double>("n"));
        Assert.Equal(new CartCopy(1, 2), store.Get<CartCopy>("cart"));
        Assert.Equal(5, store.Get<object>("n"));

        var ex = Assert.Throws<StateTypeMismatchException>(() => store.Get<int>("s"));
        Assert.Contains("'s'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("String", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Int32", ex.Message, StringComparison.Ordinal);
        Assert.Equal(typeof(string), ex.StoredType);
        Assert.Equal(typeof(int), ex.RequestedType);
        Assert.Throws<StateTypeMismatchException>(() => store.Get<string>("n"));
        Assert.Throws<StateTypeMismatchException>(() => store.TryGet<int>("s", out _));

        // Nothing was changed by the failed reads.
        Assert.Equal("hello", store.Get<string>("s"));
    }

    [Fact]
    public void A_stored_null_reads_as_null_and_as_a_mismatch_for_value_types()
    {
        using var store = TestSupport.Inline();
        store.Set<string?>("a", null);
        Assert.True(store.Exists("a"));
        Assert.True(store.TryGet<string>("a", out string? value));
        Assert.Null(value);
        Assert.Equal(0, store.Get<int?>("a").GetValueOrDefault());
        Assert.Throws<StateTypeMismatchException>(() => store.Get<int>("a"));
    }

    [Fact]
    public void Keys_are_independent_a_path_holds_a_value_and_has_descendants()
    {
        using var store = TestSupport.Inline();
        var events = new List<StateEvent>();
        using var sub = store.Subscribe("pipeline.stage", events.Add);

        store.Set("pipeline.stage", "running");
        store.Set("pipeline.stage.step", 3);
        store.Set("pipeline.stage", "done");

        Assert.Equal("done", store.Get<string>("pipeline.stage"));
        Assert.Equal(3, store.Get<int>("pipeline.stage.step"));
        Assert.True(store.Exists("pipeline.stage"));
        Assert.True(store.Exists("pipeline.stage.step"));
        Assert.False(store.Exists("pipeline"));
        Assert.Equal(["pipeline.stage", "pipeline.stage.step"], store.List("pipeline.stage").Select(p => p.ToString()));
        Assert.Equal(["pipeline.stage", "pipeline.stage.step"], store.List().Select(p => p.ToString()));

        // A direct read of the path gives its value; the parent's subtree shows both, the value under "__value".
        Assert.Equal("\"done\"", store.GetNode("pipeline.stage")!.ToJsonString());
        Assert.Equal("""{"stage":{"__value":"done","step":3}}""", store.GetNode("pipeline")!.ToJsonString());

        // Bubbling: the subscriber of the path hears its own writes and its descendants'.
        Assert.Equal(["pipeline.stage", "pipeline.stage.step", "pipeline.stage"], events.Select(e => e.Path.ToString()));

        // Deleting the child keeps the parent's value; deleting the parent removes both, in one event.
        Assert.True(store.Delete("pipeline.stage.step"));
        Assert.Equal("done", store.Get<string>("pipeline.stage"));
        store.Set("pipeline.stage.step", 4);
        events.Clear();
        Assert.True(store.Delete("pipeline.stage"));
        StateEvent removed = Assert.Single(events);
        Assert.Equal(StateEventType.Delete, removed.Type);
        Assert.Equal("""{"__value":"done","step":4}""", ((System.Text.Json.Nodes.JsonNode)removed.PreviousValue!).ToJsonString());
        Assert.NotNull(removed.PreviousMetadata); // the metadata of the path's own value
        Assert.Empty(store.List());
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public void A_value_over_descendants_and_descendants_under_a_value_survive_a_restart()
    {
        var storage = new ReactiveStore.Storage.InMemoryStorage();
        using (var first = new StateStore(new StateStoreOptions { DispatchMode = DispatchMode.Inline, Storage = new ReactiveStore.Tests.WritePath.NonDisposing(storage) }))
        {
            first.Set("a.b", 1);
            first.Set("a", "parent");
            first.Set("x", 1);
            first.Set("x.y.z", 2);
        }

        using var second = new StateStore(new StateStoreOptions { DispatchMode = DispatchMode.Inline, Storage = storage });
        Assert.Equal("parent", second.Get<string>("a"));
        Assert.Equal(1, second.Get<int>("a.b"));
        Assert.Equal(1, second.Get<int>("x"));
        Assert.Equal(2, second.Get<int>("x.y.z"));
        Assert.Equal(["a", "a.b", "x", "x.y.z"], second.List().Select(p => p.ToString()));
    }

    [Fact]
    public void List_returns_stored_paths_in_path_order()
    {
        using var store = TestSupport.Inline();
        foreach (string path in new[] { "b.a", "a_b", "a.z", "a.b.c", "a.b.a", "c" })
        {
            store.Set(path, 1);
        }

        Assert.Equal(["a.b.a", "a.b.c", "a.z", "a_b", "b.a", "c"], store.List().Select(p => p.ToString()));
        Assert.Equal(["a.b.a", "a.b.c", "a.z"], store.List(StatePath.Parse("a")).Select(p => p.ToString()));
        Assert.Equal(["c"], store.List("c").Select(p => p.ToString()));
        Assert.Empty(store.List("zzz"));
    }

    [Fact]
    public void Delete_removes_the_subtree_with_one_event_carrying_what_was_removed()
    {
        using var store = TestSupport.Inline();
        store.Set("users.alice.name", "Alice");
        store.Set("users.alice.age", 30);
        store.Set("users.bob.name", "Bob");
        var events = new List<StateEvent>();
        using var sub = store.Subscribe("*", events.Add);

        Assert.True(store.Delete("users.alice"));

        StateEvent e = Assert.Single(events);
        Assert.Equal(StateEventType.Delete, e.Type);
        Assert.Equal("users.alice", e.Path.ToString());
        Assert.Equal("""{"age":30,"name":"Alice"}""", ((JsonNode)e.PreviousValue!).ToJsonString());
        Assert.Null(e.Value);
        Assert.Equal(["users.bob.name"], store.List().Select(p => p.ToString()));
        Assert.False(store.Exists("users.alice"));
    }

    [Fact]
    public void Deleting_a_leaf_reports_its_previous_value_and_metadata_and_prunes_empty_parents()
    {
        using var store = TestSupport.Inline();
        StateEntry<int> entry = store.Set("a.b.c", 7);
        StateEvent? seen = null;
        using var sub = store.Subscribe("a", e => seen = e);

        Assert.True(store.Delete("a.b.c"));
        Assert.Equal(7, seen!.GetPreviousValue<int>());
        Assert.Same(entry.Metadata, seen.PreviousMetadata);
        Assert.False(store.Exists("a"));
        store.Set("a", 1); // the now-empty interior nodes are gone, so 'a' can hold a value
        Assert.Equal(1, store.Get<int>("a"));
    }

    [Fact]
    public void Deleting_a_missing_path_is_a_no_op()
    {
        using var store = TestSupport.Inline();
        var events = new List<StateEvent>();
        using var sub = store.Subscribe("*", events.Add);
        Assert.False(store.Delete("missing"));
        Assert.Empty(events);
        Assert.Equal(0, store.Version);
    }

    [Fact]
    public void A_recreated_key_starts_again_at_version_1()
    {
        using var store = TestSupport.Inline();
        store.Set("a", 1);
        store.Set("a", 2);
        store.Delete("a");
        Assert.Equal(1, store.Set("a", 3).Metadata.Version);
    }

    [Fact]
    public void Ping_notifies_without_changing_state()
    {
        using var store = TestSupport.Inline();
        store.Set("a", 1);
        var events = new List<StateEvent>();
        using var sub = store.Subscribe("a", events.Add);
        var payload = new object();
        store.Ping("a", payload);
        store.Ping("a.nothing.here");

        Assert.Equal(2, events.Count);
        Assert.Equal(StateEventType.Ping, events[0].Type);
        Assert.Same(payload, events[0].Payload);
        Assert.Equal("a.nothing.here", events[1].Path.ToString());
        Assert.Equal(1, store.Get<int>("a"));
        Assert.Equal(1, store.GetEntry<int>("a")!.Metadata.Version);
    }

    [Fact]
    public void Invalid_paths_throw_InvalidPathException_naming_the_problem_and_change_nothing()
    {
        using var store = TestSupport.Inline();
        store.Set("ok", 1);
        var ex = Assert.Throws<InvalidPathException>(() => store.Set("a..b", 2));
        Assert.Contains("'a..b'", ex.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidPathException>(() => store.Get<int>("a b"));
        Assert.Throws<InvalidPathException>(() => store.Delete("*"));
        Assert.Throws<InvalidPathException>(() => store.Subscribe("a.b*", _ => { }));
        Assert.Throws<InvalidPathException>(() => store.Watch("."));
        Assert.Throws<ArgumentNullException>(() => store.Set(null!, 1));
        Assert.Throws<ArgumentNullException>(() => store.Subscribe("a", (Action<StateEvent>)null!));
        Assert.Equal(1, store.Count);
        Assert.Equal(1, store.Version);
    }

    [Fact]
    public void Reserved_segments_cannot_be_written_by_users()
    {
        using var store = TestSupport.Inline();
        var ex = Assert.Throws<InvalidPathException>(() => store.Set("__schema.x", 1));
        Assert.Contains("reserved", ex.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidPathException>(() => store.Delete("a.__b"));
        Assert.False(store.Exists("__schema"));
    }

    [Fact]
    public void The_root_is_not_a_key()
    {
        using var store = TestSupport.Inline();
        Assert.Throws<ArgumentException>(() => store.Set(StatePath.Root, 1));
        Assert.Throws<ArgumentException>(() => store.Delete(StatePath.Root));
        Assert.Throws<InvalidPathException>(() => store.Set("", 1));
    }

    [Fact]
    public void A_shut_down_store_refuses_writes_and_subscriptions_but_keeps_reads()
    {
        var store = TestSupport.Inline();
        store.Set("a", 1);
        store.Shutdown();
        store.Shutdown();

        Assert.True(store.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => store.Set("a", 2));
        Assert.Throws<ObjectDisposedException>(() => store.Delete("a"));
        Assert.Throws<ObjectDisposedException>(() => store.Ping("a"));
        Assert.Throws<ObjectDisposedException>(() => store.Batch(_ => { }));
        Assert.Throws<ObjectDisposedException>(() => store.Subscribe("a", _ => { }));
        Assert.Throws<ObjectDisposedException>(() => store.Watch("a"));
        Assert.Equal(1, store.Get<int>("a"));
    }

    [Fact]
    public async Task OpenAsync_gives_a_working_in_memory_store()
    {
        await using StateStore store = await StateStore.OpenAsync();
        store.Set("a", 1);
        Assert.Equal(1, store.Get<int>("a"));
    }

    [Fact]
    public void Event_origin_names_this_process_and_the_writing_thread()
    {
        using var store = TestSupport.Inline();
        StateEvent? seen = null;
        using var sub = store.Subscribe("a", e => seen = e);
        store.Set("a", 1, new SetOptions { Payload = "why" });
        Assert.Equal(Environment.ProcessId, seen!.Origin.ProcessId);
        Assert.Equal(Environment.CurrentManagedThreadId, seen.Origin.ThreadId);
        Assert.Null(seen.Origin.NodeId);
        Assert.Equal("why", seen.Payload);
        Assert.True(seen.Timestamp > 0);
        Assert.Equal(1, seen.Metadata!.Version);
        Assert.Null(seen.PreviousMetadata);
    }

    public sealed record Shop(string Currency, Cart Cart);

    public sealed record Cart(int Items, double Total);

    public sealed record CartCopy(int Items, double Total);
}
