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

    // Issue 9 item 26: keys used to have to be path segments, so users["alice-smith"] threw. Any non-empty string is a key now.
    [Theory]
    [InlineData("alice-smith", "items._xalice_2d_smith")]
    [InlineData("bob@example.com", "items._xbob_40_example_2e_com")]
    [InlineData("3f2a9c1e-8b7d-4c2a-9e1f-0a1b2c3d4e5f", "items._x3f2a9c1e_2d_8b7d_2d_4c2a_2d_9e1f_2d_0a1b2c3d4e5f")]
    [InlineData("no.dots", "items._xno_2e_dots")]
    [InlineData("spa ce", "items._xspa_20_ce")]
    [InlineData("__reserved", "items._x_5f__5f_reserved")]
    [InlineData("plain_id_7", "items.plain_id_7")]
    public void Real_ids_are_keys_encoded_into_one_segment_and_listed_as_written(string key, string path)
    {
        using StateStore store = TestSupport.Inline();
        var map = new StateMap<ItemNode>(store, StatePath.Parse("items"));
        ItemNode node = map[key];
        Assert.Equal(path, node.Path.ToString());
        Assert.Equal(StatePath.Parse(path), map.GetPath(key));
        Assert.False(map.ContainsKey(key));

        store.Set(node.Name, "N");
        Assert.True(map.ContainsKey(key));
        Assert.Equal([key], map.Keys);
        Assert.True(map.TryGet(key, out ItemNode? found));
        Assert.Same(node, found);
        Assert.True(map.Remove(key));
        Assert.Empty(map.Keys);
    }

    [Fact]
    public void Keys_decode_every_entry_and_skip_segments_no_key_encodes_to()
    {
        using StateStore store = TestSupport.Inline();
        var map = new StateMap<ItemNode>(store, StatePath.Parse("items"));
        string[] keys = ["a-b", "a_b", "a@b", "_a", "b"];
        foreach (string key in keys)
        {
            store.Set(map[key].Name, key);
        }

        store.Set("items._handwritten.name", "not an entry");
        IReadOnlyList<string> listed = map.Keys;
        Assert.NotEmpty(listed);
        Assert.Equal(keys.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
        Assert.Equal(keys.Length, map.Count);
        foreach (string key in listed)
        {
            Assert.Equal(key, store.Get(map[key].Name));
        }
    }

    [Fact]
    public void Empty_null_and_too_long_keys_are_refused_with_a_clear_error()
    {
        using StateStore store = TestSupport.Inline();
        var map = new StateMap<ItemNode>(store, StatePath.Parse("items"));
        InvalidPathException empty = Assert.Throws<InvalidPathException>(() => map[""]);
        Assert.Contains("a map key cannot be empty", empty.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidPathException>(() => map.ContainsKey(""));
        Assert.Throws<InvalidPathException>(() => map.Remove(""));
        Assert.Throws<ArgumentNullException>(() => map[null!]);

        // 300 '-' encode to 1,200 characters: over the 1,024-character path limit, and the message says so.
        InvalidPathException tooLong = Assert.Throws<InvalidPathException>(() => map[new string('-', 300)]);
        Assert.Contains("too long for map 'items'", tooLong.Message, StringComparison.Ordinal);
        Assert.Contains("over the limit of 1024", tooLong.Message, StringComparison.Ordinal);
        Assert.Empty(map.Keys);
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
