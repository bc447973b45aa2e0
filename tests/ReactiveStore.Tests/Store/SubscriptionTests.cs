namespace ReactiveStore.Tests.Store;

public sealed class SubscriptionTests
{
    [Theory]
    [InlineData("a.b", "a.b", true, "a.b")]
    [InlineData("a.b", "a.b.c.d", true, "a.b")]
    [InlineData("a.b", "a", false, null)]
    [InlineData("a.b.*", "a.b", false, null)]
    [InlineData("a.b.*", "a.b.c", true, "a.b")]
    [InlineData("a.b.*", "a.b.c.d", true, "a.b")]
    [InlineData("a.*.c", "a.x.c", true, "a.x.c")]
    [InlineData("a.*.c", "a.y.c.d", true, "a.y.c")]
    [InlineData("a.*.c", "a.x.d", false, null)]
    [InlineData("*", "anything.at.all", true, "")]
    [InlineData("users.*.settings", "users.42.settings.theme", true, "users.42.settings")]
    [InlineData("*.k3", "w1.k3", true, "w1.k3")]
    [InlineData("*.k3", "w1.k3.x", true, "w1.k3")]
    [InlineData("*.k3", "w1.k4", false, null)]
    [InlineData("*.k3", "k3", false, null)]
    [InlineData("*.b.*", "a.b", false, null)]
    [InlineData("*.b.*", "a.b.c", true, "a.b")]
    [InlineData("*.b.*", "a.b.c.d", true, "a.b")]
    [InlineData("*.b.*", "a.c.d", false, null)]
    public void Selectors_match_as_the_spec_says(string selector, string path, bool matches, string? currentPath)
    {
        using var store = TestSupport.Inline();
        var events = new List<StateEvent>();
        using var sub = store.Subscribe(selector, events.Add);
        store.Set(path, 1);
        if (!matches)
        {
            Assert.Empty(events);
            return;
        }

        StateEvent e = Assert.Single(events);
        Assert.Equal(path, e.Path.ToString());
        Assert.Equal(currentPath, e.CurrentPath.ToString());
    }

    [Theory]
    [InlineData(DispatchMode.Inline)]
    [InlineData(DispatchMode.Background)]
    public async Task Selectors_starting_with_a_wildcard_get_exactly_their_events(DispatchMode mode)
    {
        await using var store = new StateStore(new StateStoreOptions { DispatchMode = mode });
        var k3 = new List<string>();
        var k3Exact = new List<string>();
        var underB = new List<string>();
        var twoDeep = new List<string>();
        using var s1 = store.Subscribe("*.k3", e => k3.Add($"{e.Path}@{e.CurrentPath}"));
        using var s2 = store.Subscribe("*.k3", e => k3Exact.Add(e.Path.ToString()), new SubscribeOptions { Bubble = false });
        using var s3 = store.Subscribe("*.b.*", e => underB.Add($"{e.Path}@{e.CurrentPath}"));
        using var s4 = store.Subscribe("*.*.c", e => twoDeep.Add($"{e.Path}@{e.CurrentPath}"));

        string[] paths = ["w1.k3", "w2.k3", "w1.k4", "k3", "w1.x.k3", "w3.k3.x", "a.b", "y.b.c", "z.b.c.d", "a.x.b.c", "b.c", "x.y.c"];
        foreach (string path in paths)
        {
            store.Set(path, 1);
        }

        await store.FlushAsync().WithTimeout();

        Assert.Equal(["w1.k3@w1.k3", "w2.k3@w2.k3", "w3.k3.x@w3.k3"], k3);
        Assert.Equal(["w1.k3", "w2.k3"], k3Exact);
        Assert.Equal(["y.b.c@y.b", "z.b.c.d@z.b"], underB);
        Assert.Equal(["y.b.c@y.b.c", "z.b.c.d@z.b.c", "x.y.c@x.y.c"], twoDeep);
    }

    [Fact]
    public void Bubble_false_makes_an_exact_selector_match_only_its_path()
    {
        using var store = TestSupport.Inline();
        var events = new List<string>();
        using var sub = store.Subscribe("a.b", e => events.Add(e.Path.ToString()), new SubscribeOptions { Bubble = false });
        store.Set("a.b.c", 1);
        store.Ping("a.b");
        Assert.Equal(["a.b"], events);
    }

    [Fact]
    public void Deeper_subscribers_are_called_before_ancestors_and_same_depth_in_subscription_order()
    {
        using var store = TestSupport.Inline();
        var calls = new List<string>();
        using var s1 = store.Subscribe("*", _ => calls.Add("* (root)"));
        using var s2 = store.Subscribe("a", _ => calls.Add("a"));
        using var s3 = store.Subscribe("a.b.c", _ => calls.Add("a.b.c #1"));
        using var s4 = store.Subscribe("a.b", _ => calls.Add("a.b"));
        using var s5 = store.Subscribe("a.*.c", _ => calls.Add("a.*.c"));
        using var s6 = store.Subscribe("a.b.c", _ => calls.Add("a.b.c #2"));
        using var s7 = store.Subscribe("a.*", _ => calls.Add("a.* (at a)"));

        store.Set("a.b.c", 1);

        Assert.Equal(["a.b.c #1", "a.*.c", "a.b.c #2", "a.b", "a", "a.* (at a)", "* (root)"], calls);
    }

    [Fact]
    public void StopPropagation_stops_ancestors_but_not_subscribers_at_the_same_path()
    {
        using var store = TestSupport.Inline();
        var calls = new List<string>();
        using var s1 = store.Subscribe("a", _ => calls.Add("a"));
        using var s2 = store.Subscribe("a.b", e =>
        {
            calls.Add("a.b #1");
            e.StopPropagation();
        });
        using var s3 = store.Subscribe("a.b", e => calls.Add($"a.b #2 stopped={e.IsPropagationStopped}"));

        store.Set("a.b", 1);
        store.Set("a.c", 1);

        Assert.Equal(["a.b #1", "a.b #2 stopped=True", "a"], calls);
    }

    [Fact]
    public void Unsubscribe_and_Dispose_stop_delivery_and_are_idempotent()
    {
        using var store = TestSupport.Inline();
        int a = 0;
        int b = 0;
        Subscription sa = store.Subscribe("x", _ => a++);
        Subscription sb = store.Subscribe("x", _ => b++);
        store.Set("x", 1);

        Assert.True(store.Unsubscribe(sa.Id));
        Assert.False(store.Unsubscribe(sa.Id));
        sa.Dispose();
        sb.Dispose();
        sb.Dispose();
        Assert.False(store.Unsubscribe(sb.Id));
        Assert.False(sa.IsActive);
        store.Set("x", 2);

        Assert.Equal((1, 1), (a, b));
        Assert.Equal(0, store.SubscriptionCount);
    }

    [Fact]
    public void A_subscriber_can_dispose_itself_from_its_callback()
    {
        using var store = TestSupport.Inline();
        int calls = 0;
        Subscription? self = null;
        self = store.Subscribe("x", _ =>
        {
            calls++;
            self!.Dispose();
        });
        store.Set("x", 1);
        store.Set("x", 2);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task A_new_subscription_receives_only_later_writes()
    {
        await using StateStore store = TestSupport.Background();
        store.Set("x", 1);
        var versions = new List<long>();
        using var sub = store.Subscribe("x", e => versions.Add(e.Version));
        store.Set("x", 2);
        await store.FlushAsync().WithTimeout();
        Assert.Equal([2L], versions);
    }

    [Fact]
    public void Subscription_ids_are_unique_and_increasing()
    {
        using var store = TestSupport.Inline();
        using Subscription first = store.Subscribe("a", _ => { });
        using Subscription second = store.Subscribe("a", _ => { });
        Assert.True(second.Id > first.Id);
        Assert.Equal("a", first.Selector.ToString());
    }

    [Fact]
    public void State_passing_overload_hands_the_state_to_the_callback()
    {
        using var store = TestSupport.Inline();
        var sink = new List<int>();
        using var sub = store.Subscribe("n", sink, static (e, list) => list.Add(e.GetValue<int>()));
        store.Set("n", 3);
        Assert.Equal([3], sink);
    }

    [Fact]
    public void Many_non_matching_subscriptions_are_not_called()
    {
        using var store = TestSupport.Inline();
        int wrong = 0;
        int right = 0;
        var subs = new List<Subscription>();
        for (int i = 0; i < 2_000; i++)
        {
            subs.Add(store.Subscribe($"other.s{i}", _ => wrong++));
            subs.Add(store.Subscribe($"other.*.x{i}", _ => wrong++));
        }

        subs.Add(store.Subscribe("target.value", _ => right++));
        store.Set("target.value", 1);
        Assert.Equal((1, 0), (right, wrong));
        foreach (Subscription s in subs)
        {
            s.Dispose();
        }

        Assert.Equal(0, store.SubscriptionCount);
    }
}
