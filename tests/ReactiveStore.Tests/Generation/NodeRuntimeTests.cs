using System.ComponentModel;

namespace ReactiveStore.Tests.Generation;

/// <summary><see cref="StateStore.Root{T}"/>, <see cref="StateNodeSupport"/> and <see cref="PropertyChangedNotifier"/>.</summary>
public sealed class NodeRuntimeTests
{
    [Fact]
    public void Root_returns_one_instance_per_store_at_the_default_path_even_under_races()
    {
        using StateStore store = TestSupport.Inline();
        using StateStore other = TestSupport.Inline();
        var seen = new ItemNode[16];
        Parallel.For(0, seen.Length, i => seen[i] = store.Root<ItemNode>());
        Assert.All(seen, node => Assert.Same(seen[0], node));
        Assert.Equal(ItemNode.DefaultPath, seen[0].Path);
        Assert.NotSame(seen[0], other.Root<ItemNode>());
    }

    [Fact]
    public void SubscribeValue_delivers_typed_changes_of_the_exact_path_and_skips_pings()
    {
        using StateStore store = TestSupport.Inline();
        var key = new StateKey<int>("a.b");
        var changes = new List<(int Old, int New, StateEventType Type)>();
        using Subscription subscription = StateNodeSupport.SubscribeValue(store, key, c => changes.Add((c.OldValue, c.NewValue, c.Event.Type)));
        store.Set(key, 1);
        store.Set(key, 2);
        store.Ping("a.b");
        store.Delete("a.b");
        store.Set("a.c", 5);
        Assert.Equal([(0, 1, StateEventType.Set), (1, 2, StateEventType.Set), (2, 0, StateEventType.Delete)], changes);
    }

    [Fact]
    public void ObserveValue_yields_new_values_and_completes_at_shutdown()
    {
        StateStore store = TestSupport.Inline();
        var key = new StateKey<string?>("title");
        var values = new List<string?>();
        bool completed = false;
        using IDisposable subscription = StateNodeSupport.ObserveValue(store, key).Subscribe(new Observer<string?>(values.Add, () => completed = true));
        store.Set(key, "a");
        store.Ping("title");
        store.Delete("title");
        store.Shutdown();
        Assert.Equal(["a", null], values);
        Assert.True(completed);
    }

    [Fact]
    public async Task WatchValue_is_subscribed_before_it_returns()
    {
        using StateStore store = TestSupport.Inline();
        var key = new StateKey<int>("n");
        IAsyncEnumerable<ValueChange<int>> watch = StateNodeSupport.WatchValue(store, key, CancellationToken.None);
        store.Set(key, 1);
        store.Ping("n");
        store.Set(key, 2);
        var seen = new List<int>();
        await foreach (ValueChange<int> change in watch)
        {
            seen.Add(change.NewValue);
            if (seen.Count == 2)
            {
                break;
            }
        }

        Assert.Equal([1, 2], seen);
    }

    [Fact]
    public void SubscribeAll_hears_the_subtree_and_the_root_hears_everything()
    {
        using StateStore store = TestSupport.Inline();
        var node = new List<string>();
        var root = new List<string>();
        using Subscription a = StateNodeSupport.SubscribeAll(store, StatePath.Parse("shop"), e => node.Add(e.Path.ToString()));
        using Subscription b = StateNodeSupport.SubscribeAll(store, StatePath.Root, e => root.Add(e.Path.ToString()));
        store.Set("shop.cart.total", 1);
        store.Set("other", 1);
        Assert.Equal(["shop.cart.total"], node);
        Assert.Equal(["shop.cart.total", "other"], root);
    }

    [Fact]
    public void ApplyValue_writes_only_what_the_node_would_not_already_read()
    {
        using StateStore store = TestSupport.Inline();
        var key = new StateKey<int>("count");
        store.Batch(w => StateNodeSupport.ApplyValue(w, key, 0));
        Assert.False(store.Exists("count"));
        store.Batch(w => StateNodeSupport.ApplyValue(w, key, 3));
        long version = store.Version;
        store.Batch(w => StateNodeSupport.ApplyValue(w, key, 3));
        Assert.Equal(version, store.Version);
        store.Batch(w => StateNodeSupport.ApplyValue(w, key, 0));
        Assert.Equal(0, store.Get<int>("count"));
        Assert.True(store.Exists("count"));
    }

    [Fact]
    public void SetValue_returns_whether_it_changed_and_the_value_it_replaced()
    {
        using StateStore store = TestSupport.Inline();
        var key = new StateKey<int>("count");
        var events = new List<StateEvent>();
        using Subscription subscription = store.Subscribe("count", events.Add);

        Assert.False(StateNodeSupport.SetValue(store, key, 0, out int previous));
        Assert.Equal(0, previous);
        Assert.False(store.Exists("count"));

        Assert.True(StateNodeSupport.SetValue(store, key, 3, out previous));
        Assert.Equal(0, previous);
        long version = store.Version;
        Assert.False(StateNodeSupport.SetValue(store, key, 3, out previous));
        Assert.Equal(3, previous);
        Assert.Equal(version, store.Version);

        Assert.True(StateNodeSupport.SetValue(store, key, 0, out previous));
        Assert.Equal(3, previous);
        Assert.Equal(0, store.Get(key));
        Assert.Equal(2, events.Count);
        Assert.Equal(3, events[1].GetPreviousValue<int>());
    }

    [Fact]
    public void SetValue_inside_a_batch_joins_it_and_rolls_back_with_it()
    {
        using StateStore store = TestSupport.Inline();
        var key = new StateKey<string?>("name");
        store.Set(key, "before");
        Assert.Throws<InvalidOperationException>(() => store.Batch(_ =>
        {
            Assert.True(StateNodeSupport.SetValue(store, key, "inside", out string? previous));
            Assert.Equal("before", previous);
            Assert.Equal("inside", store.Get(key));
            throw new InvalidOperationException("abort");
        }));
        Assert.Equal("before", store.Get(key));
    }

    [Fact]
    public void ReadConsistent_returns_what_the_read_returns_and_sees_a_batch_whole()
    {
        using StateStore store = TestSupport.Inline();
        store.Batch(w =>
        {
            w.Set("a", 1);
            w.Set("b", 1);
        });
        (int A, int B) read = StateNodeSupport.ReadConsistent(store, store, static s => (s.Get<int>("a"), s.Get<int>("b")));
        Assert.Equal((1, 1), read);
        Assert.Throws<ArgumentNullException>(() => StateNodeSupport.ReadConsistent<int, int>(store, 0, null!));
    }

    [Fact]
    public void ApplyMap_removes_and_writes_entries_whose_keys_are_real_ids()
    {
        using StateStore store = TestSupport.Inline();
        var map = new StateMap<ItemNode>(store, StatePath.Parse("items"));
        store.Set(map["alice-smith"].Name, "Alice");
        store.Set(map["bob@example.com"].Name, "Bob");
        IReadOnlyDictionary<string, string?> snapshot = StateNodeSupport.SnapshotMap(map, node => store.Get(node.Name));
        Assert.Equal(["alice-smith", "bob@example.com"], snapshot.Keys);

        store.Batch(w => StateNodeSupport.ApplyMap(
            w,
            map,
            new Dictionary<string, string?> { ["bob@example.com"] = "Robert", ["carol.c"] = "Carol" },
            (node, writer, name) => writer.Set(node.Name, name)));
        Assert.Equal(["bob@example.com", "carol.c"], map.Keys);
        Assert.Equal("Robert", store.Get(map["bob@example.com"].Name));
        Assert.False(store.Exists("items._xalice_2d_smith"));
    }

    [Fact]
    public void ApplyMap_and_SnapshotMap_round_trip_a_map_in_key_order()
    {
        using StateStore store = TestSupport.Inline();
        var map = new StateMap<ItemNode>(store, StatePath.Parse("items"));
        store.Set("items.b.name", "B");
        store.Set("items.a.name", "A");
        IReadOnlyDictionary<string, string?> snapshot = StateNodeSupport.SnapshotMap(map, node => store.Get(node.Name));
        Assert.Equal(["a", "b"], snapshot.Keys);

        store.Set("items.c.name", "C");
        store.Batch(w => StateNodeSupport.ApplyMap(w, map, new Dictionary<string, string?> { ["a"] = "A2", ["d"] = "D" }, (node, writer, name) => writer.Set(node.Name, name)));
        Assert.Equal(["a", "d"], map.Keys);
        Assert.Equal("A2", store.Get<string>("items.a.name"));
    }

    [Fact]
    public void GetChild_GetMap_and_Derive_create_once_and_share_per_path()
    {
        using StateStore store = TestSupport.Inline();
        ItemNode? child = null;
        StateMap<ItemNode>? map = null;
        ItemNode first = StateNodeSupport.GetChild(ref child, store, StatePath.Parse("c"));
        Assert.Same(first, StateNodeSupport.GetChild(ref child, store, StatePath.Parse("c")));
        StateMap<ItemNode> firstMap = StateNodeSupport.GetMap(ref map, store, StatePath.Parse("m"));
        Assert.Same(firstMap, StateNodeSupport.GetMap(ref map, store, StatePath.Parse("m")));

        store.Set("x", 2);
        Derivation<int>? one = null;
        Derivation<int>? two = null;
        var key = new StateKey<int>("twice");
        Derivation<int> registered = StateNodeSupport.Derive(ref one, store, key, store, static s => s.Get<int>("x") * 2);
        Assert.Same(registered, StateNodeSupport.Derive(ref two, store, key, store, static s => -1));
        Assert.Equal(4, registered.Value);
        store.Set("x", 5);
        Assert.Equal(10, store.Get(key));

        Derivation<string>? wrongType = null;
        Assert.Throws<InvalidOperationException>(() => StateNodeSupport.Derive(ref wrongType, store, new StateKey<string>("twice"), store, static _ => ""));
    }

    [Fact]
    public async Task PropertyChangedNotifier_subscribes_only_while_handlers_are_attached_and_posts_to_the_store_context()
    {
        using var context = new LoopContext();
        using var store = new StateStore(new StateStoreOptions { SynchronizationContext = context });
        object sender = new();
        var notifier = new PropertyChangedNotifier(sender, store, StatePath.Parse("node"), ["title", "count"], ["Title", "Count"]);
        var raised = new List<(string?, int, object?)>();
        using var done = new CountdownEvent(2);
        PropertyChangedEventHandler handler = (s, e) =>
        {
            lock (raised)
            {
                raised.Add((e.PropertyName, Environment.CurrentManagedThreadId, s));
            }

            done.Signal();
        };

        Assert.Equal(0, store.SubscriptionCount);
        notifier.Add(handler);
        Assert.Equal(2, store.SubscriptionCount);
        store.Set("node.title", "t");
        store.Set("node.count", 1);
        store.Set("node.other", 1);
        store.Ping("node.title");
        Assert.True(done.Wait(TimeSpan.FromSeconds(10)));
        await store.FlushAsync().WithTimeout();

        Assert.Equal([("Title", context.ManagedThreadId, sender), ("Count", context.ManagedThreadId, sender)], raised);
        notifier.Remove(handler);
        Assert.Equal(0, store.SubscriptionCount);
    }

    private sealed class Observer<T>(Action<T> next, Action completed) : IObserver<T>
    {
        public void OnCompleted() => completed();

        public void OnError(Exception error)
        {
        }

        public void OnNext(T value) => next(value);
    }
}
