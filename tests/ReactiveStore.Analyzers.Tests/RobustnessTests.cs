using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace ReactiveStore.Analyzers.Tests;

/// <summary>Code being typed: every analyzer runs over broken input without an exception (no AD0001), and correct code reports nothing.</summary>
public sealed class RobustnessTests
{
    public static readonly TheoryData<string> BrokenSnippets = new()
    {
        "using ReactiveStore; [StateNode(\"shop\")] public partial class Shop { public partial int X { get; set; }",
        "using ReactiveStore; [StateNode(] public partial class Shop { }",
        "using ReactiveStore; [StateNode(\"a\", \"b\")] public partial class Shop { }",
        "using ReactiveStore; [StateNode(42)] public partial class Shop { }",
        "using ReactiveStore; [StateNode(null)] public partial class Shop { public partial int X { get; set; } }",
        "using ReactiveStore; [StateNode] public partial class { public partial int X { get; set; } }",
        "using ReactiveStore; [StateNode] public partial class Shop { public partial Missing X { get; set; } [Derived] public partial Unknown Y { get; } private Unknown ComputeY() => X.Z; }",
        "using ReactiveStore; [StateNode] public partial class Shop { [StatePath()] public partial int X { get; set; } [StatePath(null)] public partial int Y { get; set; } }",
        "using ReactiveStore; [StateNode] public partial class Shop { [Derived] public partial int X { get; } private int ComputeX() { return X + ; } }",
        "using ReactiveStore; [StateNode] public partial class Shop { [Derived(nameof())] public partial int X { get; } }",
        "using ReactiveStore; [StateNode] public partial class Shop { [Derived] public partial int X { get; } private int ComputeX() => Y; [Derived] public partial int Y { get; } private int ComputeY() => X",
        "using ReactiveStore; [StateNode] public partial class Shop<T> where T : { public partial T X { get; set; } public partial StateMap<Shop<T>> Items { get; } }",
        "using ReactiveStore; [StateNode] public partial class Shop { public partial StateMap<Missing> Items { get; } public partial StateMap<int> Bad { get; } }",
        "using ReactiveStore; [StateNode] public partial class Shop { public partial Shop Self { get; } [Derived] public partial int X { get; } private int ComputeX() => Self.Self.Self.X; }",
        "using ReactiveStore; class C { void M(StateStore s) { s.Set(\"a..b\", ); s.Subscribe(\"x\" ",
        "using ReactiveStore; class C { void M(StateStore s) { s.Subscribe(, e => { }); s.Subscribe(\"*\"); } }",
        "using ReactiveStore; class C { void M(StateStore s) { s.Observe(\"a\").Subscribe(); _ = s. ; } }",
        "using ReactiveStore; class C { void M(StateStore s) { StatePath.Parse(); new StateKey<>(\"a\"); PathSelector.Parse(\"*\", 1); } }",
        "using ReactiveStore; class C { void M(StateStore s) { s.DeriveMany(\"d\", new[] { \"a\", null, 1 }, d => 1); s.DeriveMany(\"d\", [\"a..\"], d => 1); } }",
        "using ReactiveStore; class C { void M(Unknown s) { s.Subscribe(\"a..b\", e => { }); } }",
        "using ReactiveStore; static class Outer { [StateNode] class Inner { public partial int X { get; set; }",
        "using ReactiveStore; [StateNode] public partial struct NotAClass { public partial int X { get; set; } }",
        "using ReactiveStore; [StateNode] public partial record Rec(int X) { [Derived] public partial int Y { get; } }",
        "using ReactiveStore; [StateNode] public partial interface IShop { }",
        "using ReactiveStore; [StateNode] public static partial class Shop { [Derived] public static partial int X { get; } }",
        "using ReactiveStore; [StateNode] public partial class Shop { public partial int this[int i] { get; set; } public partial ref int R { get; } public unsafe partial int* P { get; set; } }",
        "using ReactiveStore; [StateNode] public partial class Shop { event System.Action E; [Derived] public partial int X { get; } private int ComputeX() { E?.Invoke(); E += null; Store.Batch(); return 1; } }",
        "[StateNode] public partial class NoUsing { public partial int X { get; set; } }",
        "namespace ReactiveStore { public sealed class StateNodeAttribute : System.Attribute { } } [ReactiveStore.StateNode] public class Fake { }",
        "using ReactiveStore; [StateNode] public partial class Shop { [Derived] public partial int X { get; } private int ComputeX() => this switch { { } s => s.X, }; }",
        "using ReactiveStore; [StateNode] public partial class A { public partial B B { get; } [Derived] public partial int X { get; } private int ComputeX() => B.Y; } [StateNode] public class B { [Derived] public partial int Y { get; } private int ComputeY() => 1; }",
        "using ReactiveStore; class C { void M(StateStore s) { s.Subscribe(\"a\", e => s.Subscribe(\"b\", e2 => { })); } }",
        "@@@ garbage } { ;;; [StateNode(\"x y\")] partial partial class class",
        "",
    };

    [Theory]
    [MemberData(nameof(BrokenSnippets))]
    public async Task Analyzers_never_throw_on_broken_code(string snippet)
    {
        // DiagnoseAsync and AnalyzeAsync fail on any generator or analyzer exception or AD0001; with and without the generator's output.
        await AnalyzerHarness.DiagnoseAsync(AnalyzerHarness.Compile([snippet]));
        await AnalyzerHarness.AnalyzeAsync(AnalyzerHarness.Compile([snippet], runGenerator: false), AnalyzerHarness.AllAnalyzers);
    }

    [Fact]
    public async Task Every_prefix_of_a_node_being_typed_analyzes_without_exceptions()
    {
        const string source = """
            using ReactiveStore;
            [StateNode("shop")]
            public partial class Shop
            {
                public partial decimal Price { get; set; }
                public partial StateMap<Line> Lines { get; }
                [Derived] public partial decimal Total { get; }
                private decimal ComputeTotal() => Price + Lines["a"].Amount;
                public void Watch(StateStore store) => store.Subscribe("shop.*", e => { });
            }
            [StateNode] public partial class Line { public partial decimal Amount { get; set; } }
            """;

        // Cut at every 7th character: a typing session in fast-forward.
        for (int length = 0; length <= source.Length; length += 7)
        {
            await AnalyzerHarness.DiagnoseAsync(AnalyzerHarness.Compile([source.Substring(0, length)]));
        }
    }

    [Fact]
    public async Task A_realistic_correct_model_reports_nothing()
    {
        string[] sources =
        [
            """
            using System.Collections.Generic;
            using ReactiveStore;
            namespace Demo.Shop;

            [StateNode("shop")]
            public partial class ShopState
            {
                public partial string? Currency { get; set; }
                public partial CartState Cart { get; }
                public partial StateMap<ProductState> Products { get; }
                [StatePath("tax_rate")] public partial decimal TaxRate { get; set; }
                [Derived] public partial decimal Total { get; }
                [Derived] public partial decimal TotalWithTax { get; }
                private decimal ComputeTotal() => Cart.Subtotal;
                private decimal ComputeTotalWithTax() => Total * (1 + TaxRate);
            }

            [StateNode]
            public partial class CartState
            {
                public partial List<string> Items { get; set; }
                public partial decimal Price { get; set; }
                [Derived] public partial decimal Subtotal { get; }
                private decimal ComputeSubtotal() => Price * Items.Count;
            }

            public static partial class Holder
            {
                [StateNode("box")]
                public partial class Box<T>
                {
                    public partial T Value { get; set; }
                    public partial string? Label { get; set; }
                }
            }
            """,
            """
            using ReactiveStore;
            namespace Demo.Shop;

            [StateNode]
            public partial class ProductState
            {
                public partial string? Name { get; set; }
            }

            public partial class ProductState
            {
                public partial decimal Price { get; set; }
                [Derived] public partial bool Expensive { get; }
                private bool ComputeExpensive() => Price > 100;
            }

            public sealed class ShopView : System.IDisposable
            {
                private readonly Subscription _total;

                public ShopView(StateStore store)
                {
                    ShopState shop = store.Root<ShopState>();
                    _total = shop.SubscribeTotal(change => System.Console.WriteLine(change.NewValue));
                    store.Set(ShopState.Paths.Currency, "EUR");
                    store.Set("shop.products.p1.name", "Tea");
                    _ = shop.Products["p1"].Price;
                }

                public void Dispose() => _total.Dispose();
            }
            """,
        ];

        ImmutableArray<Diagnostic> diagnostics = await AnalyzerHarness.DiagnoseAsync(AnalyzerHarness.Compile(sources));
        Assert.Empty(diagnostics);
        Assert.Empty(AnalyzerHarness.Errors(AnalyzerHarness.Compile(sources)));
    }
}
