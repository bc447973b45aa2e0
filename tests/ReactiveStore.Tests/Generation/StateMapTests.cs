namespace ReactiveStore.Tests.Generation;

public sealed class StateMapTests
{
    [Fact]
    public void Entries_are_child_nodes_at_key_paths_and_the_same_instance_each_time()
    {
        using StateStore store = TestSupport.Inline();
        var map = new StateMap<ItemNode>(store, StatePath.Parse("shop.items"));
        ItemNode apple = map["apple"];
        Assert.Same(apple, map.Get("apple"));
        Assert.Equal("shop.items.apple", apple.Path.ToString());
        Assert.Same(store, apple.Store);
    }

    [Fact]
    public void Keys_Count_ContainsKey_and_TryGet_reflect_what_is_stored()
    {
        using StateStore store = TestSupport.Inline();
        var map = new StateMap<ItemNode>(store, StatePath.Parse("shop.items"));
        Assert.Empty(map.Keys);
        _ = map["ghost"];
        Assert.False(map.ContainsKey("ghost"));

        store.Set("shop.items.b.name", "B");
        store.Set("shop.items.a.name", "A");
        store.Set("shop.items.a.price", 1);
        store.Set("shop.items.a_b.name", "AB");
        store.Set("shop.other", 1);

        Assert.Equal(["a", "a_b", "b"], map.Keys);
        Assert.Equal(3, map.Count);
        Assert.True(map.ContainsKey("a"));
        Assert.True(map.TryGet("b", out ItemNode? b));
        Assert.Equal("B", store.Get(b.Name));
        Assert.False(map.TryGet("ghost", out _));
    }

    [Fact]
    public void Remove_deletes_the_subtree_with_one_event()
    {
        using StateStore store = TestSupport.Inline();
        var map = new StateMap<ItemNode>(store, StatePath.Parse("items"));
        store.Set("items.a.name", "A");
        store.Set("items.a.price", 2);
        var events = new List<StateEvent>();
        using Subscription subscription = map.SubscribeAll(events.Add);
        ItemNode before = map["a"];

        Assert.True(map.Remove("a"));
        Assert.False(map.Remove("a"));

        StateEvent deleted = Assert.Single(events);
        Assert.Equal(StateEventType.Delete, deleted.Type);
        Assert.Equal("items.a", deleted.Path.ToString());
        Assert.False(store.Exists("items.a"));
        Assert.NotSame(before, map["a"]);
    }

    [Fact]
    public void Remove_first_removes_derivations_inside_the_entry()
    {
        using StateStore store = TestSupport.Inline();
        var map = new StateMap<ItemNode>(store, StatePath.Parse("items"));
        store.Set("items.a.price", 2);
        using Derivation<int> doubled = store.Derive(StatePath.Parse("items.a.doubled"), ctx => ctx.Get<int>("items.a.price") * 2);
        Assert.Equal(4, store.Get<int>("items.a.doubled"));

        Assert.True(map.Remove("a"));
        Assert.False(doubled.IsActive);
        Assert.False(store.Exists("items.a"));
    }

    [Theory]
    [InlineData("no.dots")]
    [InlineData("")]
    [InlineData("spa ce")]
    [InlineData("__reserved")]
    public void Keys_must_be_usable_path_segments(string key)
    {
        using StateStore store = TestSupport.Inline();
        var map = new StateMap<ItemNode>(store, StatePath.Parse("items"));
        Assert.Throws<InvalidPathException>(() => map[key]);
        Assert.Throws<InvalidPathException>(() => map.ContainsKey(key));
        Assert.Throws<InvalidPathException>(() => map.Remove(key));
        Assert.Throws<ArgumentNullException>(() => map[null!]);
    }

    [Fact]
    public void Concurrent_first_access_yields_one_instance()
    {
        using StateStore store = TestSupport.Inline();
        var map = new StateMap<ItemNode>(store, StatePath.Parse("items"));
        ItemNode[] seen = new ItemNode[16];
        Parallel.For(0, seen.Length, i => seen[i] = map["x"]);
        Assert.All(seen, node => Assert.Same(seen[0], node));
    }
}
