namespace ReactiveStore.Tests.WritePath;

public sealed class ExpiryTests
{
    private static readonly DateTimeOffset s_start = new(2026, 5, 1, 0, 0, 0, TimeSpan.Zero);

    private static StateStore Store(ManualTimeProvider clock) =>
        new(new StateStoreOptions { DispatchMode = DispatchMode.Inline, TimeProvider = clock });

    [Fact]
    public void An_expired_entry_reads_as_missing_and_its_expiry_emits_a_delete_event_unread()
    {
        var clock = new ManualTimeProvider(s_start);
        using StateStore store = Store(clock);
        var events = new List<(StateEventType Type, string Path)>();
        using var sub = store.Subscribe("*", e => events.Add((e.Type, e.Path.ToString())));
        StateEntry<string> entry = store.Set("session.token", "abc", new SetOptions { Ttl = TimeSpan.FromMinutes(10) });
        Assert.Equal(s_start.AddMinutes(10), entry.Metadata.ExpiresAt);

        clock.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal("abc", store.Get<string>("session.token"));
        Assert.Single(events);

        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal([(StateEventType.Set, "session.token"), (StateEventType.Delete, "session.token")], events);
        Assert.False(store.Exists("session.token"));
        Assert.Null(store.Get<string>("session.token"));
    }

    [Fact]
    public void ExpiresAt_sets_an_absolute_expiry_and_several_entries_expire_in_order()
    {
        var clock = new ManualTimeProvider(s_start);
        using StateStore store = Store(clock);
        var deleted = new List<string>();
        using var sub = store.Subscribe("*", e =>
        {
            if (e.Type == StateEventType.Delete)
            {
                deleted.Add(e.Path.ToString());
            }
        });
        store.Set("c", 3, new SetOptions { ExpiresAt = s_start.AddSeconds(30) });
        store.Set("a", 1, new SetOptions { Ttl = TimeSpan.FromSeconds(10) });
        store.Set("b", 2, new SetOptions { Ttl = TimeSpan.FromSeconds(20) });
        store.Set("forever", 0);

        clock.Advance(TimeSpan.FromSeconds(25));
        Assert.Equal(["a", "b"], deleted);
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(["a", "b", "c"], deleted);
        Assert.Equal(["forever"], store.List().Select(p => p.ToString()));
    }

    [Fact]
    public void Rewriting_an_entry_replaces_its_expiry()
    {
        var clock = new ManualTimeProvider(s_start);
        using StateStore store = Store(clock);
        store.Set("k", 1, new SetOptions { Ttl = TimeSpan.FromSeconds(10) });
        clock.Advance(TimeSpan.FromSeconds(5));
        store.Set("k", 2, new SetOptions { Ttl = TimeSpan.FromSeconds(10) });
        clock.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(2, store.Get<int>("k")); // the first schedule is stale and skipped
        store.Set("k", 3);                     // no TTL: lives forever
        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(3, store.Get<int>("k"));
    }

    [Fact]
    public void Writing_over_an_expired_entry_emits_its_delete_first_and_starts_at_version_1()
    {
        var clock = new ManualTimeProvider(s_start);
        using var store = new StateStore(new StateStoreOptions { DispatchMode = DispatchMode.Inline, TimeProvider = new FrozenTimers(clock) });
        store.Set("k", 1, new SetOptions { Ttl = TimeSpan.FromSeconds(1) });
        var events = new List<StateEventType>();
        using var sub = store.Subscribe("k", e => events.Add(e.Type));
        clock.Advance(TimeSpan.FromSeconds(2)); // the timer never fires under FrozenTimers
        Assert.False(store.Exists("k"));
        StateEntry<int> entry = store.Set("k", 2);
        Assert.Equal(1, entry.Metadata.Version);
        Assert.Equal([StateEventType.Delete, StateEventType.Set], events);
    }

    [Fact]
    public void Expiry_of_a_derivation_source_updates_the_derived_path()
    {
        var clock = new ManualTimeProvider(s_start);
        using StateStore store = Store(clock);
        store.Set("flag", true, new SetOptions { Ttl = TimeSpan.FromSeconds(1) });
        using var label = store.Derive<bool, string>("label", "flag", f => f ? "on" : "off");
        var labels = new List<string?>();
        using var sub = store.Subscribe("label", e => labels.Add(e.GetValue<string>()));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(["off"], labels);
    }

    /// <summary>A clock whose timers never fire, to observe reads of expired entries before the expiry timer runs.</summary>
    private sealed class FrozenTimers(ManualTimeProvider clock) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => clock.GetUtcNow();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) => new NeverTimer();

        private sealed class NeverTimer : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => default;
        }
    }
}
