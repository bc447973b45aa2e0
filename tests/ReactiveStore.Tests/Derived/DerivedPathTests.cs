using ReactiveStore.Signals;

namespace ReactiveStore.Tests.Derived;

public sealed class DerivedPathTests
{
    [Fact]
    public void A_derived_path_exists_at_once_and_follows_its_source()
    {
        using var store = TestSupport.Inline();
        store.Set("cart.subtotal", 10m);
        using Derivation<decimal> total = store.Derive<decimal, decimal>("cart.total", "cart.subtotal", subtotal => subtotal * 1.2m);

        Assert.Equal(12m, store.Get<decimal>("cart.total"));
        Assert.Equal(12m, total.Value);
        store.Set("cart.subtotal", 20m);
        Assert.Equal(24m, store.Get<decimal>("cart.total"));
        Assert.True(store.Exists("cart.total"));
        Assert.Equal(["cart.subtotal", "cart.total"], store.List("cart").Select(p => p.ToString()));
        Assert.Equal("""{"subtotal":20,"total":24.0}""", store.GetNode("cart")!.ToJsonString());
    }

    [Fact]
    public void A_source_with_descendants_counts_as_the_source()
    {
        using var store = TestSupport.Inline();
        store.Set("items.a", 1);
        store.Set("items.b", 2);
        using var count = store.Derive<System.Text.Json.Nodes.JsonObject, int>("stats.count", "items", items => items?.Count ?? 0);
        Assert.Equal(2, store.Get<int>("stats.count"));
        store.Set("items.c", 3);
        Assert.Equal(3, store.Get<int>("stats.count"));
        store.Delete("items.a");
        Assert.Equal(2, store.Get<int>("stats.count"));
        store.Delete("items");
        Assert.Equal(0, store.Get<int>("stats.count"));
    }

    [Fact]
    public void A_deleted_ancestor_updates_derivations_of_paths_below_it()
    {
        using var store = TestSupport.Inline();
        store.Set("user.profile.name", "Ada");
        using var greeting = store.Derive<string, string>("ui.greeting", "user.profile.name", name => name is null ? "Hello, stranger" : $"Hello, {name}");
        Assert.Equal("Hello, Ada", store.Get<string>("ui.greeting"));
        store.Delete("user");
        Assert.Equal("Hello, stranger", store.Get<string>("ui.greeting"));
    }

    [Fact]
    public void DeriveMany_combines_sources_and_recomputes_once_per_batch()
    {
        using var store = TestSupport.Inline();
        store.Set("a", 1);
        store.Set("b", 2);
        int runs = 0;
        using var sum = store.DeriveMany("sum", ["a", "b"], d =>
        {
            runs++;
            return d.Get<int>(0) + d.Get<int>("b");
        });
        var events = new List<int>();
        using var sub = store.Subscribe("sum", e => events.Add(e.GetValue<int>()));
        int runsBefore = runs;

        store.Batch(w =>
        {
            w.Set("a", 10);
            w.Set("b", 20);
        });

        Assert.Equal(30, store.Get<int>("sum"));
        Assert.Equal(1, runs - runsBefore);
        Assert.Equal([30], events);
    }

    [Fact]
    public void A_derivation_that_recomputes_to_an_equal_value_emits_nothing()
    {
        using var store = TestSupport.Inline();
        store.Set("n", 2);
        using var parity = store.Derive<int, string>("parity", "n", n => n % 2 == 0 ? "even" : "odd");
        var events = new List<string?>();
        using var sub = store.Subscribe("parity", e => events.Add(e.GetValue<string>()));
        store.Set("n", 4);
        store.Set("n", 6);
        store.Set("n", 7);
        Assert.Equal(["odd"], events);
    }

    [Fact]
    public void Derived_events_follow_the_source_event_in_commit_order()
    {
        using var store = TestSupport.Inline();
        store.Set("price", 10);
        using var doubled = store.Derive<int, int>("doubled", "price", p => p * 2);
        var log = new List<string>();
        using var sub = store.Subscribe("*", e => log.Add($"{e.Path}={e.Value} v{e.Version}"));
        store.Set("price", 11);
        Assert.Equal(["price=11 v3", "doubled=22 v4"], log);
    }

    [Fact]
    public void An_unobserved_derivation_is_lazy()
    {
        using var store = TestSupport.Inline();
        store.Set("x", 1);
        int runs = 0;
        using var square = store.Derive<int, int>("square", "x", x =>
        {
            runs++;
            return x * x;
        });
        Assert.Equal(1, runs); // registration computes the first value
        store.Set("x", 2);
        store.Set("x", 3);
        store.Set("x", 4);
        Assert.Equal(1, runs);
        Assert.Equal(16, store.Get<int>("square"));
        Assert.Equal(2, runs);
        Assert.Equal(16, store.Get<int>("square"));
        Assert.Equal(2, runs);
    }

    [Fact]
    public void A_subscription_makes_a_derivation_eager_and_disposing_it_makes_it_lazy_again()
    {
        using var store = TestSupport.Inline();
        store.Set("x", 1);
        int runs = 0;
        using var square = store.Derive<int, int>("calc.square", "x", x =>
        {
            runs++;
            return x * x;
        });
        Assert.False(square.IsObserved);
        Subscription sub = store.Subscribe("calc.*", _ => { });
        Assert.True(square.IsObserved);
        int before = runs;
        store.Set("x", 2);
        store.Set("x", 3);
        Assert.Equal(2, runs - before);
        sub.Dispose();
        Assert.False(square.IsObserved);
        store.Set("x", 4);
        Assert.Equal(2, runs - before);
    }

    [Fact]
    public void Writing_or_deleting_a_derived_path_throws_and_changes_nothing()
    {
        using var store = TestSupport.Inline();
        store.Set("a", 1);
        using var b = store.Derive<int, int>("out.b", "a", a => a + 1);
        var setError = Assert.Throws<InvalidOperationException>(() => store.Set("out.b", 5));
        Assert.Contains("'out.b' is a derived path", setError.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => store.Delete("out.b"));
        var ancestorError = Assert.Throws<InvalidOperationException>(() => store.Delete("out"));
        Assert.Contains("contains the derived path 'out.b'", ancestorError.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => store.Batch(w => w.Set("out.b", 9)));
        Assert.Equal(2, store.Get<int>("out.b"));
    }

    [Fact]
    public void Deriving_onto_stored_state_or_twice_onto_the_same_path_throws()
    {
        using var store = TestSupport.Inline();
        store.Set("a", 1);
        store.Set("taken", 1);
        var stored = Assert.Throws<InvalidOperationException>(() => store.Derive<int, int>("taken", "a", a => a));
        Assert.Contains("holds stored state", stored.Message, StringComparison.Ordinal);
        using var d = store.Derive<int, int>("free", "a", a => a);
        var twice = Assert.Throws<InvalidOperationException>(() => store.Derive<int, int>("free", "a", a => a + 1));
        Assert.Contains("already derived", twice.Message, StringComparison.Ordinal);
        Assert.Equal(1, store.Get<int>("taken"));
    }

    [Fact]
    public void Disposing_a_derivation_removes_its_value_with_a_delete_event_and_frees_the_path()
    {
        using var store = TestSupport.Inline();
        store.Set("a", 1);
        Derivation<int> d = store.Derive<int, int>("b", "a", a => a * 10);
        var events = new List<StateEventType>();
        using var sub = store.Subscribe("b", e => events.Add(e.Type));
        d.Dispose();
        d.Dispose();
        Assert.False(store.Exists("b"));
        Assert.Equal([StateEventType.Delete], events);
        store.Set("b", 5);
        Assert.Equal(5, store.Get<int>("b"));
        store.Set("a", 2);
        Assert.Equal(5, store.Get<int>("b"));
    }

    [Fact]
    public void A_derivation_reading_its_own_path_or_subtree_is_a_cycle()
    {
        using var store = TestSupport.Inline();
        store.Set("x.a", 1);
        var below = Assert.Throws<CyclicDerivationException>(() => store.Derive<int, int>("x.y", "x", v => v));
        Assert.Equal(["x.y", "x.y"], below.Cycle);
        var above = Assert.Throws<CyclicDerivationException>(() => store.Derive<int, int>("z", "z.inner", v => v));
        Assert.Equal(["z", "z"], above.Cycle);
        Assert.False(store.Exists("x.y"));
        Assert.False(store.Exists("z"));
    }

    [Fact]
    public void Derivation_chains_report_the_full_cycle()
    {
        using var store = TestSupport.Inline();
        using var discount = store.Derive<int, int>("shop.discount", "shop.total", t => t / 10);
        var ex = Assert.Throws<CyclicDerivationException>(() => store.Derive<int, int>("shop.total", "shop.discount", d => d * 10));
        Assert.Equal(["shop.total", "shop.discount", "shop.total"], ex.Cycle);
        Assert.Contains("shop.total → shop.discount → shop.total", ex.Message, StringComparison.Ordinal);
        Assert.False(store.Exists("shop.total"));
        using var longer = store.Derive<int, int>("shop.tax", "shop.discount", d => d);
        var ex2 = Assert.Throws<CyclicDerivationException>(() => store.Derive<int, int>("shop.total", "shop.tax", d => d));
        Assert.Equal(["shop.total", "shop.discount", "shop.tax", "shop.total"], ex2.Cycle);
    }

    [Fact]
    public void An_exception_in_a_derivation_is_rethrown_to_readers_until_an_input_changes()
    {
        using var store = TestSupport.Inline();
        store.Set("d", 4);
        int runs = 0;
        using var ratio = store.Derive<int, int>("ratio", "d", d =>
        {
            runs++;
            return 100 / d;
        });
        Assert.Equal(25, store.Get<int>("ratio"));
        store.Set("d", 0);
        Assert.Throws<DivideByZeroException>(() => store.Get<int>("ratio"));
        Assert.Throws<DivideByZeroException>(() => ratio.Value);
        Assert.Equal(2, runs); // cached: the failing computation ran once
        store.Set("d", 5);
        Assert.Equal(20, store.Get<int>("ratio"));
    }

    [Fact]
    public void A_derivation_that_throws_at_registration_is_not_registered()
    {
        using var store = TestSupport.Inline();
        store.Set("d", 0);
        Assert.Throws<DivideByZeroException>(() => store.Derive<int, int>("ratio", "d", d => 100 / d));
        Assert.False(store.Exists("ratio"));
        store.Set("ratio", 1); // the path is free
        Assert.Equal(1, store.Get<int>("ratio"));
    }

    [Fact]
    public void Track_reruns_when_what_it_read_changes_and_recollects_dependencies()
    {
        using var store = TestSupport.Inline();
        store.Set("useA", true);
        store.Set("a", 1);
        store.Set("b", 100);
        var seen = new List<int>();
        using IDisposable tracker = store.Track(ctx => seen.Add(ctx.Get<bool>("useA") ? ctx.Get<int>("a") : ctx.Get<int>("b")));
        store.Set("b", 101);        // not read: no run
        store.Set("a", 2);          // read: run
        store.Set("useA", false);   // switches to b
        store.Set("a", 3);          // no longer read: no run
        store.Set("b", 102);
        Assert.Equal([1, 2, 101, 102], seen);
        tracker.Dispose();
        store.Set("b", 103);
        Assert.Equal([1, 2, 101, 102], seen);
    }

    [Fact]
    public void Track_runs_once_per_batch_and_may_write_to_the_store()
    {
        using var store = TestSupport.Inline();
        store.Set("first", "Ada");
        store.Set("last", "Lovelace");
        int runs = 0;
        using var tracker = store.Track(ctx =>
        {
            runs++;
            ctx.Store.Set("full", $"{ctx.Get<string>("first")} {ctx.Get<string>("last")}");
        });
        store.Batch(w =>
        {
            w.Set("first", "Grace");
            w.Set("last", "Hopper");
        });
        Assert.Equal(2, runs);
        Assert.Equal("Grace Hopper", store.Get<string>("full"));
    }

    [Fact]
    public void Track_exceptions_after_the_first_run_are_logged_and_the_tracker_keeps_running()
    {
        var logs = new CollectingLoggerProvider();
        using var loggerFactory = Microsoft.Extensions.Logging.LoggerFactory.Create(b => Microsoft.Extensions.Logging.LoggingBuilderExtensions.AddProvider(b, logs));
        using var store = new StateStore(new StateStoreOptions { DispatchMode = DispatchMode.Inline, LoggerFactory = loggerFactory });
        store.Set("n", 1);
        var seen = new List<int>();
        using var tracker = store.Track(ctx =>
        {
            int n = ctx.Get<int>("n");
            if (n == 2)
            {
                throw new InvalidOperationException("two is bad");
            }

            seen.Add(n);
        });
        store.Set("n", 2);
        store.Set("n", 3);
        Assert.Equal([1, 3], seen);
        Assert.Contains(logs.Entries, e => e.Exception?.Message == "two is bad");

        Assert.Throws<InvalidOperationException>(() => store.Track(_ => throw new InvalidOperationException("first run")));
    }

    [Fact]
    public void Computed_reads_store_paths_and_signals_together()
    {
        using var store = TestSupport.Inline();
        store.Set("price", 10);
        var quantity = new Signal<int>(2);
        Computed<int> total = store.Computed(ctx => ctx.Get<int>("price") * quantity.Value);
        Assert.Equal(20, total.Value);
        store.Set("price", 11);
        Assert.Equal(22, total.Value);
        quantity.Value = 3;
        Assert.Equal(33, total.Value);
    }

    [Fact]
    public void Reads_through_the_store_inside_a_computed_are_tracked_without_a_context()
    {
        using var store = TestSupport.Inline();
        store.Set("a", 1);
        var doubled = new Computed<int>(() => store.Get<int>("a") * 2);
        Assert.Equal(2, doubled.Value);
        store.Set("a", 5);
        Assert.Equal(10, doubled.Value);
    }

    [Fact]
    public void A_dynamic_derivation_follows_branches_and_derived_of_derived_works()
    {
        using var store = TestSupport.Inline();
        store.Set("mode", "metric");
        store.Set("km", 5.0);
        store.Set("miles", 3.0);
        using Derivation<double> distance = store.Derive("view.distance", ctx => ctx.Get<string>("mode") == "metric" ? ctx.Get<double>("km") : ctx.Get<double>("miles"));
        using Derivation<string> label = store.Derive("view.label", ctx => $"{ctx.Get<double>("view.distance")} {(ctx.Get<string>("mode") == "metric" ? "km" : "mi")}");
        var labels = new List<string?>();
        using var sub = store.Subscribe("view.label", e => labels.Add(e.GetValue<string>()));

        store.Set("miles", 4.0);       // not a dependency now
        store.Set("km", 6.0);
        store.Set("mode", "imperial");
        store.Set("km", 7.0);          // no longer a dependency
        store.Set("miles", 5.0);

        Assert.Equal(["6 km", "4 mi", "5 mi"], labels);
        Assert.Equal(5.0, distance.Value);
    }

    [Fact]
    public async Task A_derived_path_can_be_watched_like_a_stored_one()
    {
        using var store = TestSupport.Inline();
        store.Set("n", 1);
        using var d = store.Derive<int, int>("n10", "n", n => n * 10);
        StateWatch watch = store.Watch("n10");
        store.Set("n", 2);
        store.Set("n", 3);
        var seen = new List<int>();
        await foreach (StateEvent e in watch)
        {
            seen.Add(e.GetValue<int>());
            if (seen.Count == 2)
            {
                break;
            }
        }

        Assert.Equal([20, 30], seen);
    }

    [Fact]
    public async Task Background_subscribers_of_derived_paths_never_see_a_glitch()
    {
        await using var store = new StateStore();
        store.Set("a", 1);
        using var b = store.Derive<int, int>("b", "a", a => a * 2);
        using var c = store.Derive<int, int>("c", "a", a => a * 3);
        using var d = store.DeriveMany("d", ["b", "c"], data => data.Get<int>(0) + data.Get<int>(1));
        int glitches = 0;
        using var sub = store.Subscribe("d", e =>
        {
            if (e.GetValue<int>() % 5 != 0)
            {
                Interlocked.Increment(ref glitches);
            }
        });
        await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (int i = 0; i < 500; i++)
            {
                store.Set("a", (t * 1000) + i);
                int a = store.Get<int>("a");
                int dv = store.Get<int>("d");
                if (dv % 5 != 0)
                {
                    Interlocked.Increment(ref glitches);
                }
            }
        }))).WithTimeout(60);
        await store.FlushAsync().WithTimeout();
        Assert.Equal(0, glitches);
        Assert.Equal(store.Get<int>("a") * 5, store.Get<int>("d"));
    }

    [Fact]
    public void A_deep_chain_of_derived_paths_works_on_a_small_stack()
    {
        const int Depth = 3_000;
        Exception? failure = null;
        int last = 0;
        int afterWrite = 0;
        var thread = new Thread(
            () =>
            {
                try
                {
                    using var store = TestSupport.Inline();
                    store.Set("chain.n0", 0);
                    var derivations = new List<Derivation>();
                    for (int i = 1; i <= Depth; i++)
                    {
                        derivations.Add(store.Derive<int, int>($"chain.n{i}", $"chain.n{i - 1}", v => v + 1));
                    }

                    last = store.Get<int>($"chain.n{Depth}");
                    store.Set("chain.n0", 10);
                    afterWrite = store.Get<int>($"chain.n{Depth}");
                }
                catch (Exception ex)
                {
                    failure = ex;
                }
            },
            maxStackSize: 1024 * 1024);
        thread.Start();
        thread.Join();
        Assert.Null(failure);
        Assert.Equal(Depth, last);
        Assert.Equal(Depth + 10, afterWrite);
    }

    [Fact]
    public void Path_signals_of_paths_no_computation_reads_any_more_are_released()
    {
        using var store = TestSupport.Inline();
        store.Set("current", 0);
        for (int i = 0; i < 1_000; i++)
        {
            store.Set($"items.i{i}", i);
        }

        // A tracker that reads a different path on every run: each run drops the previous dependency.
        var seen = new List<int>();
        using var tracker = store.Track(ctx => seen.Add(ctx.Get<int>($"items.i{ctx.Get<int>("current")}")));
        for (int i = 1; i < 1_000; i++)
        {
            store.Set("current", i);
        }

        Assert.Equal(Enumerable.Range(0, 1_000), seen);
        Assert.True(store.PathSignalCount < 200, $"{store.PathSignalCount} path signals are kept for 2 live dependencies");

        // What is still read keeps working after pruning.
        store.Set("items.i999", -1);
        Assert.Equal(-1, seen[^1]);
    }
}
