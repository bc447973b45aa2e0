using System.Collections.Concurrent;
using System.ComponentModel;
using System.Reflection;

namespace ReactiveStore.Generators.Tests;

/// <summary>Generated code compiled with zero warnings, loaded, and run against a real <see cref="StateStore"/>.</summary>
public sealed class CompileAndRunTests
{
    private static readonly Lazy<Assembly> s_flat = new(() => GeneratorHarness.CompileAndLoad(TestSources.Flat));
    private static readonly Lazy<Assembly> s_nested = new(() => GeneratorHarness.CompileAndLoad(TestSources.Nested, TestSources.Map));
    private static readonly Lazy<Assembly> s_concurrency = new(() => GeneratorHarness.CompileAndLoad(TestSources.Concurrency));

    [Theory]
    [InlineData(TestSources.Flat)]
    [InlineData(TestSources.Nested)]
    [InlineData(TestSources.Map)]
    [InlineData(TestSources.GenericAndNested)]
    [InlineData(TestSources.GlobalNamespace)]
    [InlineData(TestSources.StatePathOverrides)]
    [InlineData(TestSources.Concurrency)]
    public void Generated_code_compiles_with_zero_warnings(string source)
    {
        var (_, output) = GeneratorHarness.Run(source);
        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));
    }

    [Theory]
    [InlineData(TestSources.Flat)]
    [InlineData(TestSources.Shop)]
    [InlineData(TestSources.GenericAndNested)]
    public void Generated_code_compiles_with_zero_warnings_in_a_project_without_nullable_annotations(string source)
    {
        string oblivious = source.Replace("string?", "string", StringComparison.Ordinal).Replace("T?", "T", StringComparison.Ordinal);
        var (_, output) = GeneratorHarness.Run(Microsoft.CodeAnalysis.NullableContextOptions.Disable, oblivious);
        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));
    }

    [Fact]
    public void Stored_members_read_and_write_the_store_at_camelCase_paths()
    {
        using StateStore store = Inline();
        dynamic settings = Create(s_flat.Value, "Demo.SettingsState", store);
        settings.Theme = "dark";
        settings.FontSize = 14;
        settings.Language = "en";
        settings.NotState = "plain";

        Assert.Equal("dark", store.Get<string>("settings.theme"));
        Assert.Equal(14, store.Get<int>("settings.fontSize"));
        Assert.Equal("en", store.Get<string>("settings.language"));
        Assert.False(store.Exists("settings.notState"));

        store.Set("settings.fontSize", 20);
        Assert.Equal(20, (int)settings.FontSize);
        Assert.Equal(new StatePath[] { StatePath.Parse("settings.fontSize"), StatePath.Parse("settings.language"), StatePath.Parse("settings.theme") }, store.List());
    }

    [Fact]
    public void Setting_an_equal_value_writes_nothing_and_skips_the_hook()
    {
        using StateStore store = Inline();
        dynamic settings = Create(s_flat.Value, "Demo.SettingsState", store);
        settings.FontSize = 12;
        long version = store.Version;
        settings.FontSize = 12;
        Assert.Equal(version, store.Version);
        Assert.Equal(1, (int)settings.FontSizeHookCalls);
        settings.FontSize = 13;
        Assert.Equal(2, (int)settings.FontSizeHookCalls);
    }

    [Fact]
    public void Setting_default_on_a_missing_key_writes_nothing_and_the_hook_gets_the_replaced_value()
    {
        using StateStore store = Inline();
        dynamic counter = Create(s_concurrency.Value, "Demo.Concurrency.CounterState", store);
        var changes = (ConcurrentQueue<(int Old, int New)>)counter.Changes;
        counter.Value = 0;
        Assert.False(store.Exists("counter.value"));
        Assert.Empty(changes);

        counter.Value = 5;
        store.Set("counter.value", 7);
        counter.Value = 9;
        counter.Value = 9;
        Assert.Equal([(0, 5), (7, 9)], changes);

        // A user method that fits is called with the replaced value; without a fitting one the setter only writes.
        counter.Right = 4;
        store.Set("counter.right", 10);
        counter.Right = 12;
        counter.Right = 12;
        Assert.Equal(4 + 2, (int)counter.RightCalls);
        counter.Left = 3;
        Assert.Equal(3, store.Get<int>("counter.left"));
    }

    [Fact]
    public void Concurrent_setters_hand_each_hook_exactly_the_value_their_write_replaced()
    {
        // The setter reads the old value and writes in one commit: the hooks' (old, new) pairs chain from the first value to the last
        // one, each value replaced once. Reading outside the commit let two writers both report replacing the same value.
        using StateStore store = Inline();
        dynamic counter = Create(s_concurrency.Value, "Demo.Concurrency.CounterState", store);
        var changes = (ConcurrentQueue<(int Old, int New)>)counter.Changes;
        const int Writers = 4;
        const int WritesEach = 5_000;
        using var start = new Barrier(Writers);
        Parallel.For(0, Writers, new ParallelOptions { MaxDegreeOfParallelism = Writers }, writer =>
        {
            dynamic node = counter;
            start.SignalAndWait();
            for (int i = 1; i <= WritesEach; i++)
            {
                node.Value = (writer * WritesEach) + i;
            }
        });

        (int Old, int New)[] all = [.. changes];
        Assert.Equal(Writers * WritesEach, all.Length);
        var replaced = all.Select(static c => c.Old).ToList();
        Assert.Equal(replaced.Count, replaced.Distinct().Count());
        var expected = all.Select(static c => c.New).Prepend(0).ToHashSet();
        expected.Remove(store.Get<int>("counter.value"));
        Assert.Equal(expected.Order(), replaced.Order());
    }

    [Fact]
    public async Task Snapshot_sees_a_batch_whole_or_not_at_all()
    {
        using StateStore store = Inline();
        dynamic counter = Create(s_concurrency.Value, "Demo.Concurrency.CounterState", store);
        _ = counter.Snapshot();

        // The writer commits batches for as long as the reader takes snapshots, so that the two interleave for the whole run.
        using var done = new CancellationTokenSource();
        using var started = new ManualResetEventSlim();
        Task writer = Task.Run(() =>
        {
            for (int i = 1; !done.IsCancellationRequested; i++)
            {
                started.Set();
                int value = i;
                store.Batch(w =>
                {
                    w.Set("counter.left", value);
                    w.Set("counter.entries.a.amount", value);
                    w.Set("counter.right", value);
                });
            }
        });

        const int Snapshots = 5_000;
        int torn = 0;
        var seen = new HashSet<int>();
        Assert.True(started.Wait(TimeSpan.FromSeconds(30)));
        try
        {
            for (int i = 0; i < Snapshots; i++)
            {
                // A snapshot holds off commits while it reads: let the writer in between snapshots.
                Thread.Yield();
                dynamic snapshot = counter.Snapshot();
                int left = snapshot.Left;
                int right = snapshot.Right;
                int amount = snapshot.Entries.Count == 0 ? 0 : (int)snapshot.Entries["a"].Amount;
                seen.Add(left);
                if (left != right || left != amount)
                {
                    torn++;
                }
            }
        }
        finally
        {
            await done.CancelAsync();
            await writer;
        }

        Assert.True(torn == 0, $"{torn} of {Snapshots} snapshots saw a batch half applied.");

        // The writer really committed while the snapshots were taken: the check could not pass by reading one unchanging state.
        Assert.True(seen.Count > 10, $"Only {seen.Count} distinct states in {Snapshots} snapshots.");
    }

    [Fact]
    public void Paths_and_Keys_are_typed_keys_at_the_default_and_the_instance_path()
    {
        using StateStore store = Inline();
        Type type = s_flat.Value.GetType("Demo.SettingsState")!;
        Type paths = type.GetNestedType("Paths")!;
        var themeKey = (StateKey<string?>)paths.GetField("Theme")!.GetValue(null)!;
        Assert.Equal("settings.theme", themeKey.ToString());

        dynamic other = Create(s_flat.Value, "Demo.SettingsState", store, StatePath.Parse("users.alice.settings"));
        other.Theme = "light";
        StateKey<string?> instanceKey = other.Keys.Theme;
        Assert.Equal("users.alice.settings.theme", instanceKey.ToString());
        Assert.Equal("light", store.Get(instanceKey));
        Assert.Null(store.Get(themeKey));
        Assert.Equal(StatePath.Parse("users.alice.settings"), (StatePath)other.Path);
        Assert.Same(store, (StateStore)other.Store);
    }

    [Fact]
    public void Root_returns_one_shared_instance_per_store()
    {
        using StateStore store = Inline();
        using StateStore other = Inline();
        Type type = s_flat.Value.GetType("Demo.SettingsState")!;
        MethodInfo root = typeof(StateStore).GetMethod(nameof(StateStore.Root))!.MakeGenericMethod(type);
        object first = root.Invoke(store, null)!;
        Assert.Same(first, root.Invoke(store, null));
        Assert.NotSame(first, root.Invoke(other, null));
        Assert.Equal(StatePath.Parse("settings"), ((IStateNode)first).Path);
    }

    [Fact]
    public async Task Typed_subscriptions_observables_and_watches_see_changes_from_any_writer()
    {
        using StateStore store = Inline();
        dynamic settings = Create(s_flat.Value, "Demo.SettingsState", store);
        var changes = new List<ValueChange<string?>>();
        var observed = new List<string?>();
        var all = new List<string>();
        using Subscription subscription = settings.SubscribeTheme(new Action<ValueChange<string?>>(changes.Add));
        using IDisposable observer = ((IObservable<string?>)settings.ThemeChanges).Subscribe(new ListObserver<string?>(observed));
        using Subscription everything = settings.SubscribeAll(new Action<StateEvent>(e => all.Add(e.Path.ToString())));
        IAsyncEnumerable<ValueChange<string?>> watch = settings.WatchThemeAsync(CancellationToken.None);

        settings.Theme = "dark";
        store.Set("settings.theme", "light");
        store.Ping("settings.theme");
        store.Delete("settings.theme");
        settings.FontSize = 3;

        Assert.Equal([(null, "dark"), ("dark", "light"), ("light", null)], changes.Select(c => (c.OldValue, c.NewValue)));
        Assert.All(changes, c => Assert.Equal("settings.theme", c.Event.Path.ToString()));
        Assert.Equal(["dark", "light", null], observed);
        Assert.Equal(["settings.theme", "settings.theme", "settings.theme", "settings.theme", "settings.fontSize"], all);

        var watched = new List<string?>();
        await foreach (ValueChange<string?> change in watch.WithCancellation(CancellationToken.None))
        {
            watched.Add(change.NewValue);
            if (watched.Count == 3)
            {
                break;
            }
        }

        Assert.Equal(["dark", "light", null], watched);
    }

    [Fact]
    public void PropertyChanged_is_raised_for_stored_members_on_the_store_context()
    {
        var context = new RecordingContext();
        using var store = new StateStore(new StateStoreOptions { DispatchMode = DispatchMode.Inline, SynchronizationContext = context });
        dynamic settings = Create(s_flat.Value, "Demo.SettingsState", store);
        var raised = new List<(string?, bool)>();
        PropertyChangedEventHandler handler = (sender, e) => raised.Add((e.PropertyName, SynchronizationContext.Current == context));
        var notifying = (INotifyPropertyChanged)settings;
        notifying.PropertyChanged += handler;
        int subscriptions = store.SubscriptionCount;

        settings.Theme = "dark";
        store.Set("settings.fontSize", 9);
        settings.NotState = "not raised";

        Assert.Equal([("Theme", true), ("FontSize", true)], raised);
        Assert.True(context.Calls >= 2);

        notifying.PropertyChanged -= handler;
        Assert.True(store.SubscriptionCount < subscriptions);
        settings.Theme = "light";
        Assert.Equal(2, raised.Count);
    }

    [Fact]
    public void Child_nodes_and_maps_live_at_the_right_paths()
    {
        using StateStore store = Inline();
        dynamic shop = Create(s_nested.Value, "Demo.Shop.ShopState", store);
        Assert.Same(shop.Cart, shop.Cart);
        shop.Cart.ItemCount = 2;
        shop.Cart.Amount = 9.5m;
        Assert.Equal(2, store.Get<int>("shop.cart.itemCount"));
        Assert.Equal(StatePath.Parse("shop.cart"), (StatePath)shop.Cart.Path);

        dynamic catalog = Create(s_nested.Value, "Demo.Catalog.CatalogState", store);
        catalog.Products["apple"].Name = "Apple";
        catalog.Products["apple"].Price = 1.25m;
        catalog.Products.Get("pear").Price = 2m;
        Assert.Equal("Apple", store.Get<string>("catalog.products.apple.name"));
        Assert.Equal(new[] { "apple", "pear" }, (IReadOnlyList<string>)catalog.Products.Keys);
        Assert.Equal(2, (int)catalog.Products.Count);
        Assert.True((bool)catalog.Products.ContainsKey("pear"));
        Assert.Same(catalog.Products["apple"], catalog.Products["apple"]);

        Assert.True((bool)catalog.Products.Remove("apple"));
        Assert.False(store.Exists("catalog.products.apple"));
        Assert.Equal(new[] { "pear" }, (IReadOnlyList<string>)catalog.Products.Keys);

        // Real ids are keys (each encoded into one segment; Keys gives the original strings back); only the empty key is refused.
        catalog.Products["alice-smith"].Price = 3m;
        catalog.Products["bob@example.com"].Price = 4m;
        catalog.Products["__reserved"].Price = 5m;
        Assert.Equal(3m, store.Get<decimal>("catalog.products._xalice_2d_smith.price"));
        Assert.Equal(new[] { "__reserved", "alice-smith", "bob@example.com", "pear" }, (IReadOnlyList<string>)catalog.Products.Keys);
        Assert.Equal(4m, (decimal)catalog.Products["bob@example.com"].Price);
        Assert.Throws<InvalidPathException>(() => catalog.Products[""]);
    }

    [Fact]
    public void Snapshot_and_Apply_round_trip_in_one_batch()
    {
        using StateStore source = Inline();
        dynamic shop = Create(s_nested.Value, "Demo.Shop.ShopState", source);
        shop.Currency = "EUR";
        shop.Cart.ItemCount = 3;
        dynamic catalog = Create(s_nested.Value, "Demo.Catalog.CatalogState", source);
        catalog.Products["apple"].Price = 1.5m;
        catalog.Products["kiwi"].Name = "Kiwi";

        dynamic shopSnapshot = shop.Snapshot();
        dynamic catalogSnapshot = catalog.Snapshot();
        Assert.Equal("EUR", (string)shopSnapshot.Currency);
        Assert.Equal(3, (int)shopSnapshot.Cart.ItemCount);
        Assert.Equal(1.5m, (decimal)catalogSnapshot.Products["apple"].Price);

        using StateStore target = Inline();
        var versions = new List<long>();
        using Subscription all = target.Subscribe("*", e => versions.Add(e.Version));
        dynamic targetCatalog = Create(s_nested.Value, "Demo.Catalog.CatalogState", target);
        targetCatalog.Products["stale"].Price = 9m;
        versions.Clear();

        Create(s_nested.Value, "Demo.Shop.ShopState", target).Apply(shopSnapshot);
        targetCatalog.Apply(catalogSnapshot);

        Assert.Equal("EUR", target.Get<string>("shop.currency"));
        Assert.Equal(3, target.Get<int>("shop.cart.itemCount"));
        Assert.Equal(new[] { "apple", "kiwi" }, (IReadOnlyList<string>)targetCatalog.Products.Keys);
        Assert.Equal("Kiwi", target.Get<string>("catalog.products.kiwi.name"));
        Assert.False(target.Exists("catalog.products.kiwi.price"));

        // Applying a snapshot of the same state again writes nothing.
        int before = versions.Count;
        targetCatalog.Apply(targetCatalog.Snapshot());
        Assert.Equal(before, versions.Count);
    }

    [Fact]
    public void Generic_nested_and_global_namespace_nodes_work()
    {
        using StateStore store = Inline();
        Assembly generic = GeneratorHarness.CompileAndLoad(TestSources.GenericAndNested, TestSources.GlobalNamespace);
        Type box = generic.GetType("Demo.Generic.Holder+Box`1")!.MakeGenericType(typeof(int));
        dynamic node = Activator.CreateInstance(box, store)!;
        node.Value = 42;
        Assert.Equal(42, store.Get<int>("box.value"));

        dynamic counter = Activator.CreateInstance(generic.GetType("Counter")!, store)!;
        counter.Count = 7L;
        Assert.Equal(7L, store.Get<long>("counter.count"));
    }

    [Fact]
    public void StatePath_overrides_segments()
    {
        using StateStore store = Inline();
        Assembly assembly = GeneratorHarness.CompileAndLoad(TestSources.StatePathOverrides);
        dynamic profile = Create(assembly, "Demo.Paths.ProfileState", store);
        profile.DisplayName = "Ada";
        profile.Version = 2;
        profile.URLValue = "https://example.org";
        Assert.Equal(
            new[] { "app.user_profile.display_name", "app.user_profile.urlValue", "app.user_profile.v2" },
            store.List().Select(p => p.ToString()));
    }

    private static StateStore Inline() => new(new StateStoreOptions { DispatchMode = DispatchMode.Inline });

    private static dynamic Create(Assembly assembly, string typeName, StateStore store, StatePath? path = null)
    {
        Type type = assembly.GetType(typeName) ?? throw new InvalidOperationException(typeName + " was not generated.");
        return path is null ? Activator.CreateInstance(type, store)! : Activator.CreateInstance(type, store, path.Value)!;
    }

    private sealed class ListObserver<T>(List<T> values) : IObserver<T>
    {
        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void OnNext(T value) => values.Add(value);
    }

    /// <summary>Runs callbacks at once, with itself as the current context, and counts them.</summary>
    private sealed class RecordingContext : SynchronizationContext
    {
        public int Calls;

        public override void Post(SendOrPostCallback d, object? state) => Send(d, state);

        public override void Send(SendOrPostCallback d, object? state)
        {
            Interlocked.Increment(ref Calls);
            SynchronizationContext? previous = Current;
            SetSynchronizationContext(this);
            try
            {
                d(state);
            }
            finally
            {
                SetSynchronizationContext(previous);
            }
        }
    }
}
