using System.ComponentModel;
using System.Reflection;

namespace ReactiveStore.Generators.Tests;

/// <summary>Generated derived members compiled and run on the store's signal engine.</summary>
public sealed class DerivedRunTests
{
    private static readonly Lazy<Assembly> s_shop = new(() => GeneratorHarness.CompileAndLoad(TestSources.Shop, TestSources.Branches));

    [Theory]
    [InlineData(TestSources.Shop)]
    [InlineData(TestSources.Branches)]
    [InlineData(TestSources.SpecExample)]
    public void Derived_code_compiles_with_zero_warnings(string source)
    {
        var (_, output) = GeneratorHarness.Run(source);
        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));
    }

    [Fact]
    public void Derived_values_follow_their_inputs_through_child_nodes_maps_and_other_derived_members()
    {
        using StateStore store = Inline();
        dynamic shop = Create("Demo.Spec.ShopState", store);
        shop.TaxRate = 0.25m;
        shop.Cart.Shipping = 4m;
        Assert.Equal(5m, (decimal)shop.Total);

        shop.Cart.Lines["a"].Price = 2m;
        shop.Cart.Lines["a"].Quantity = 3;
        Assert.Equal(10m, (decimal)shop.Cart.Subtotal);
        Assert.Equal(12.5m, (decimal)shop.Total);
        Assert.Equal(12.5m, (decimal)shop.Discounted);

        shop.DiscountPercent = 20m;
        Assert.Equal(10m, (decimal)shop.Discounted);

        // The derived paths read like stored ones.
        Assert.Equal(12.5m, store.Get<decimal>("shop.total"));
        Assert.Equal(10m, store.Get<decimal>("shop.cart.subtotal"));
        Assert.Throws<InvalidOperationException>(() => store.Set("shop.total", 1m));
    }

    [Fact]
    public void Derived_keys_read_like_any_key_before_any_node_was_used()
    {
        // Issue 9 item 16: store.Get(ShopState.Paths.Total) returned default until a node had read the property once.
        using StateStore store = Inline();
        store.Set("shop.tax_rate", 0.5m);
        store.Set("shop.cart.shipping", 10m);
        StateKey<decimal> total = PathsKey<decimal>("Demo.Spec.ShopState", "Total");
        StateKey<decimal> subtotal = PathsKey<decimal>("Demo.Spec.CartState", "Subtotal");
        Assert.True(total.IsDerived);

        Assert.Equal(15m, store.Get(total));
        Assert.Equal(15m, store.Get(total, -1m));
        Assert.True(store.TryGet(total, out decimal read));
        Assert.Equal(15m, read);
        Assert.Equal(15m, store.GetEntry(total)!.Value);
        Assert.Equal(15m, store.Get<decimal>("shop.total"));

        // The key registered the root node's derivation, which follows its inputs like one read through a node.
        store.Set("shop.tax_rate", 1m);
        Assert.Equal(20m, store.Get(total));

        // A child node type's Paths key is at its own default path (cartState.subtotal), a different place from shop.cart.subtotal.
        Assert.Equal(0m, store.Get(subtotal));
        Assert.Equal(10m, store.Get<decimal>("shop.cart.subtotal"));
    }

    [Fact]
    public void Writing_a_derived_key_before_anything_read_it_is_refused_and_writes_nothing()
    {
        using StateStore store = Inline();
        StateKey<decimal> total = PathsKey<decimal>("Demo.Spec.ShopState", "Total");
        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => store.Set(total, 99m));
        Assert.Contains("derived", error.Message, StringComparison.Ordinal);
        Assert.Equal(0m, store.Get(total));
    }

    [Fact]
    public void Instance_keys_of_derived_members_register_that_node_and_work_in_another_store()
    {
        using StateStore store = Inline();
        using StateStore other = Inline();
        dynamic shop = Create("Demo.Spec.ShopState", store, StatePath.Parse("tenants.a.shop"));
        store.Set("tenants.a.shop.cart.shipping", 4m);
        other.Set("tenants.a.shop.cart.shipping", 7m);
        StateKey<decimal> total = shop.Keys.Total;
        Assert.Equal("tenants.a.shop.total", total.ToString());

        Assert.Equal(4m, store.Get(total));
        Assert.Equal(7m, other.Get(total));
        Assert.Equal(4m, (decimal)shop.Total);

        // Keys compare by path only.
        Assert.Equal(new StateKey<decimal>("tenants.a.shop.total"), total);
        Assert.False(new StateKey<decimal>("tenants.a.shop.total").IsDerived);

        var totals = new List<decimal>();
        dynamic fresh = Create("Demo.Spec.ShopState", other, StatePath.Parse("tenants.b.shop"));
        using Subscription subscription = StateNodeSupport.SubscribeValue(other, (StateKey<decimal>)fresh.Keys.Total, new Action<ValueChange<decimal>>(c => totals.Add(c.NewValue)));
        other.Set("tenants.b.shop.cart.shipping", 2m);
        Assert.Equal([2m], totals);
    }

    [Fact]
    public void A_dependency_only_read_on_one_branch_through_a_helper_is_tracked_at_run_time()
    {
        using StateStore store = Inline();
        dynamic labels = Create("Demo.Branches.LabelState", store);
        Type type = s_shop.Value.GetType("Demo.Branches.LabelState")!;
        var dependencies = (IReadOnlyList<StatePath>)type.GetNestedType("Paths")!.GetField("LabelDependencies")!.GetValue(null)!;
        Assert.Equal(["labels.name", "labels.useCode"], dependencies.Select(p => p.ToString()));

        labels.Name = "Widget";
        Assert.Equal("Widget", (string)labels.Label);
        labels.Code = "W-1";
        Assert.Equal("Widget", (string)labels.Label);
        labels.UseCode = true;
        Assert.Equal("W-1", (string)labels.Label);
        labels.Code = "W-22";
        Assert.Equal("W-22", (string)labels.Label);
        Assert.Equal(4, (int)labels.LabelLength);
    }

    [Fact]
    public void Derived_members_raise_typed_subscriptions_and_PropertyChanged()
    {
        using StateStore store = Inline();
        dynamic shop = Create("Demo.Spec.ShopState", store);
        var totals = new List<(decimal, decimal)>();
        var names = new List<string?>();
        using Subscription subscription = shop.SubscribeTotal(new Action<ValueChange<decimal>>(c => totals.Add((c.OldValue, c.NewValue))));
        ((INotifyPropertyChanged)shop).PropertyChanged += new PropertyChangedEventHandler((_, e) => names.Add(e.PropertyName));

        shop.Cart.Shipping = 10m;
        shop.TaxRate = 0.1m;
        shop.Currency = "EUR";

        Assert.Equal([(0m, 10m), (10m, 11m)], totals);
        Assert.Contains("Total", names);
        Assert.Contains("Discounted", names);
        Assert.Contains("TaxRate", names);
        Assert.Equal(2, names.Count(n => n == "Total"));
    }

    [Fact]
    public void Two_instances_at_one_path_share_the_derivation_and_Root_is_shared()
    {
        using StateStore store = Inline();
        dynamic first = Create("Demo.Spec.ShopState", store);
        dynamic second = Create("Demo.Spec.ShopState", store);
        first.Cart.Shipping = 3m;
        Assert.Equal(3m, (decimal)first.Total);
        Assert.Equal(3m, (decimal)second.Total);
        second.TaxRate = 1m;
        Assert.Equal(6m, (decimal)first.Total);
    }

    [Fact]
    public void Snapshots_carry_derived_values_and_map_entries_with_derived_members_can_be_removed()
    {
        using StateStore store = Inline();
        dynamic shop = Create("Demo.Spec.ShopState", store);
        shop.Cart.Lines["a"].Price = 1m;
        shop.Cart.Lines["a"].Quantity = 2;
        shop.Cart.Lines["b"].Price = 5m;
        shop.Cart.Lines["b"].Quantity = 1;
        dynamic snapshot = shop.Snapshot();
        Assert.Equal(7m, (decimal)snapshot.Total);
        Assert.Equal(7m, (decimal)snapshot.Cart.Subtotal);

        Assert.True((bool)shop.Cart.Lines.Remove("b"));
        Assert.Equal(2m, (decimal)shop.Total);

        shop.Apply(snapshot);
        Assert.Equal(7m, (decimal)shop.Total);
    }

    [Fact]
    public void A_cycle_between_derived_members_is_reported_by_the_store_when_read()
    {
        const string source = """
            using ReactiveStore;
            namespace Demo.Cycle;

            [StateNode("loop")]
            public partial class LoopState
            {
                public partial int Seed { get; set; }
                [Derived] public partial int A { get; }
                private int ComputeA() => B + Seed;
                [Derived] public partial int B { get; }
                private int ComputeB() => A + 1;
            }
            """;
        Assembly assembly = GeneratorHarness.CompileAndLoad(source);
        using StateStore store = Inline();
        dynamic loop = Activator.CreateInstance(assembly.GetType("Demo.Cycle.LoopState")!, store)!;
        Assert.Throws<CyclicDerivationException>(() => (int)loop.A);
    }

    [Fact]
    public void The_generated_code_adds_no_System_Text_Json_use_to_the_store()
    {
        // Every JSON use in the store goes through its JsonSerializerOptions: a resolver that throws proves none happens.
        // Data hashing stays on (the default): the canonical JSON of primitive members (string, decimal, int here) is
        // written without the serializer. There is no storage. What remains is what the generated code does.
        using var store = new StateStore(new StateStoreOptions
        {
            DispatchMode = DispatchMode.Inline,
            JsonSerializerOptions = new System.Text.Json.JsonSerializerOptions { TypeInfoResolver = new TripwireResolver() },
        });
        dynamic shop = Create("Demo.Spec.ShopState", store);
        var changes = new List<decimal>();
        using Subscription subscription = shop.SubscribeTotal(new Action<ValueChange<decimal>>(c => changes.Add(c.NewValue)));
        ((INotifyPropertyChanged)shop).PropertyChanged += new PropertyChangedEventHandler((_, _) => { });

        shop.Currency = "EUR";
        shop.TaxRate = 0.5m;
        shop.Cart.Lines["a"].Price = 2m;
        shop.Cart.Lines["a"].Quantity = 2;
        shop.Products["p"].Name = "Pen";
        Assert.Equal(6m, (decimal)shop.Total);
        dynamic snapshot = shop.Snapshot();
        shop.Cart.Lines.Remove("a");
        shop.Apply(snapshot);

        Assert.Equal(6m, (decimal)shop.Total);
        Assert.Equal(6m, changes[^1]);
        Assert.Empty(store.DeadLetters);

        // The tripwire works: reading a value as another type is a JSON conversion.
        store.Set("plain.n", 1);
        Assert.ThrowsAny<Exception>(() => store.Get<long>("plain.n"));
    }

    private static StateStore Inline() => new(new StateStoreOptions { DispatchMode = DispatchMode.Inline });

    private sealed class TripwireResolver : System.Text.Json.Serialization.Metadata.IJsonTypeInfoResolver
    {
        public System.Text.Json.Serialization.Metadata.JsonTypeInfo? GetTypeInfo(Type type, System.Text.Json.JsonSerializerOptions options) =>
            throw new InvalidOperationException("System.Text.Json was asked for " + type);
    }

    private static StateKey<T> PathsKey<T>(string typeName, string member) =>
        (StateKey<T>)s_shop.Value.GetType(typeName)!.GetNestedType("Paths")!.GetField(member)!.GetValue(null)!;

    private static dynamic Create(string typeName, StateStore store) =>
        Activator.CreateInstance(s_shop.Value.GetType(typeName) ?? throw new InvalidOperationException(typeName + " was not generated."), store)!;

    private static dynamic Create(string typeName, StateStore store, StatePath path) =>
        Activator.CreateInstance(s_shop.Value.GetType(typeName) ?? throw new InvalidOperationException(typeName + " was not generated."), store, path)!;
}
