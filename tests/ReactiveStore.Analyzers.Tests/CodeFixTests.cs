using ReactiveStore.Analyzers.CodeFixes;

namespace ReactiveStore.Analyzers.Tests;

/// <summary>Every fix applied once and with Fix All: the result compiles (generator run) and the diagnostic is gone.</summary>
public sealed class CodeFixTests
{
    [Fact]
    public async Task RST0004_add_partial_to_the_node()
    {
        string result = await FixHarness.ApplyAsync(
            new MakePartialCodeFixProvider(),
            "RST0004",
            MakePartialCodeFixProvider.EquivalenceKey,
            fixAll: false,
            """
            using ReactiveStore;
            namespace Demo;

            /// <summary>Docs.</summary>
            [StateNode("shop")]
            public sealed class Shop
            {
                public partial int Count { get; set; }
            }
            """);
        Assert.Contains("public sealed partial class Shop", result, StringComparison.Ordinal);
        Assert.Contains("/// <summary>Docs.</summary>\n[StateNode(\"shop\")]\npublic sealed partial class Shop", result, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RST0004_fix_all_adds_partial_to_nodes_and_containing_types()
    {
        string result = await FixHarness.ApplyAsync(
            new MakePartialCodeFixProvider(),
            "RST0004",
            MakePartialCodeFixProvider.EquivalenceKey,
            fixAll: true,
            """
            using ReactiveStore;
            namespace Demo;

            static class Outer
            {
                [StateNode]
                class First { public partial int A { get; set; } }

                [StateNode]
                internal class Second { public partial int B { get; set; } }
            }

            [StateNode]
            public class Third { public partial int C { get; set; } }
            """);
        Assert.Contains("static partial class Outer", result, StringComparison.Ordinal);
        Assert.Contains("    partial class First", result, StringComparison.Ordinal);
        Assert.Contains("internal partial class Second", result, StringComparison.Ordinal);
        Assert.Contains("public partial class Third", result, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RST0006_generate_the_compute_method()
    {
        string result = await FixHarness.ApplyAsync(
            new GenerateComputeMethodCodeFixProvider(),
            "RST0006",
            GenerateComputeMethodCodeFixProvider.EquivalenceKey,
            fixAll: false,
            """
            using ReactiveStore;
            namespace Demo;

            [StateNode("shop")]
            public partial class Shop
            {
                public partial decimal Price { get; set; }

                [Derived] public partial decimal Total { get; }
            }
            """);
        Assert.Contains(
            """
                [Derived] public partial decimal Total { get; }

                private decimal ComputeTotal()
                {
                    // TODO: compute Total from this node's state members; they are tracked as its dependencies.
                    return default;
                }
            """.ReplaceLineEndings("\n"),
            result,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task RST0006_fix_all_generates_every_missing_method()
    {
        string result = await FixHarness.ApplyAsync(
            new GenerateComputeMethodCodeFixProvider(),
            "RST0006",
            GenerateComputeMethodCodeFixProvider.EquivalenceKey,
            fixAll: true,
            """
            using ReactiveStore;
            namespace Demo;

            [StateNode("shop")]
            public partial class Shop
            {
                public partial decimal Price { get; set; }
                [Derived] public partial decimal Total { get; }
                [Derived] public partial string Label { get; }
                [Derived(nameof(Measure))] public partial int? Size { get; }
            }
            """);
        Assert.Contains("private decimal ComputeTotal()", result, StringComparison.Ordinal);
        Assert.Contains("private string ComputeLabel()", result, StringComparison.Ordinal);
        Assert.Contains("return default!;", result, StringComparison.Ordinal);
        Assert.Contains("private int? Measure()", result, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RST0006_offers_no_fix_for_a_mismatched_method()
    {
        // Adding a second ComputeWrong would not compile: the user decides how to change the existing one.
        const string source = """
            using ReactiveStore;
            [StateNode("shop")]
            public partial class Shop
            {
                [Derived] public partial decimal Wrong { get; }
                private int ComputeWrong() => 1;
            }
            """;
        var diagnostic = Assert.Single(await AnalyzerHarness.AnalyzeAsync(source), static d => d.Id == "RST0006");
        using var workspace = new Microsoft.CodeAnalysis.AdhocWorkspace();
        var document = workspace.AddProject("P", Microsoft.CodeAnalysis.LanguageNames.CSharp).AddDocument("Test0.cs", source);
        var actions = new List<Microsoft.CodeAnalysis.CodeActions.CodeAction>();
        await new GenerateComputeMethodCodeFixProvider().RegisterCodeFixesAsync(
            new Microsoft.CodeAnalysis.CodeFixes.CodeFixContext(document, diagnostic, (a, _) => actions.Add(a), CancellationToken.None));
        Assert.Empty(actions);
    }

    private const string ShopNode = """
        using ReactiveStore;
        namespace Demo;
        [StateNode("shop")]
        public partial class Shop
        {
            public partial decimal Price { get; set; }
        }
        """;

    [Fact]
    public async Task RST0010_using_variable()
    {
        string result = await FixHarness.ApplyAsync(
            new KeepSubscriptionCodeFixProvider(),
            "RST0010",
            KeepSubscriptionCodeFixProvider.UsingEquivalenceKey,
            fixAll: false,
            """
            using ReactiveStore;
            namespace Demo;
            public static class Use
            {
                public static void Run(StateStore store)
                {
                    // Listen to every user.
                    store.Subscribe("users.*", static e => { });
                    store.Set("users.a", 1);
                }
            }
            """,
            ShopNode);
        Assert.Contains(
            """
                    // Listen to every user.
                    using var subscription = store.Subscribe("users.*", static e => { });
                    store.Set("users.a", 1);
            """.ReplaceLineEndings("\n"),
            result,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task RST0010_fix_all_using_variables_get_unique_names()
    {
        string result = await FixHarness.ApplyAsync(
            new KeepSubscriptionCodeFixProvider(),
            "RST0010",
            KeepSubscriptionCodeFixProvider.UsingEquivalenceKey,
            fixAll: true,
            """
            using ReactiveStore;
            namespace Demo;
            public static class Use
            {
                public static void Run(StateStore store, Shop shop)
                {
                    int subscription = 0;
                    store.Subscribe("a", static e => { });
                    _ = store.Subscribe("b", static e => { });
                    shop.SubscribePrice(static c => { });
                    shop.SubscribePrice(static c => { });
                    if (subscription == 0)
                    {
                        shop.SubscribeAll(static e => { });
                    }
                }
            }
            """,
            ShopNode);
        Assert.Contains("using var subscription2 = store.Subscribe(\"a\"", result, StringComparison.Ordinal);
        Assert.Contains("using var subscription3 = store.Subscribe(\"b\"", result, StringComparison.Ordinal);
        Assert.Contains("using var priceSubscription = shop.SubscribePrice", result, StringComparison.Ordinal);
        Assert.Contains("using var priceSubscription2 = shop.SubscribePrice", result, StringComparison.Ordinal);
        Assert.Contains("using var subscription4 = shop.SubscribeAll", result, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RST0010_field()
    {
        string result = await FixHarness.ApplyAsync(
            new KeepSubscriptionCodeFixProvider(),
            "RST0010",
            KeepSubscriptionCodeFixProvider.FieldEquivalenceKey,
            fixAll: false,
            """
            using ReactiveStore;
            namespace Demo;
            public sealed class View
            {
                private readonly StateStore _store;

                public View(StateStore store)
                {
                    _store = store;
                    _store.Subscribe("users.*", e => Refresh());
                }

                private void Refresh() { }
            }
            """,
            ShopNode);
        Assert.Contains("private readonly StateStore _store;\n    private Subscription? _subscription;", result, StringComparison.Ordinal);
        Assert.Contains("_subscription = _store.Subscribe(\"users.*\", e => Refresh());", result, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RST0010_fix_all_fields_get_unique_names_and_static_where_needed()
    {
        string result = await FixHarness.ApplyAsync(
            new KeepSubscriptionCodeFixProvider(),
            "RST0010",
            KeepSubscriptionCodeFixProvider.FieldEquivalenceKey,
            fixAll: true,
            """
            using ReactiveStore;
            namespace Demo;
            public sealed class View
            {
                private object? _subscription;

                public void Start(StateStore store, Shop shop, Shop? maybe)
                {
                    store.Subscribe("a", static e => { });
                    _ = store.Observe("b").Subscribe(new Observer());
                    shop.SubscribePrice(static c => { });
                    maybe?.SubscribeAll(static e => { });
                }

                public static void Global(StateStore store) => store.Subscribe("c", static e => { });
            }
            public sealed class Observer : System.IObserver<StateEvent>
            {
                public void OnCompleted() { }
                public void OnError(System.Exception error) { }
                public void OnNext(StateEvent value) { }
            }
            """,
            ShopNode);
        Assert.Contains("private Subscription? _subscription2;", result, StringComparison.Ordinal);
        Assert.Contains("private System.IDisposable? _subscription3;", result, StringComparison.Ordinal);
        Assert.Contains("private Subscription? _priceSubscription;", result, StringComparison.Ordinal);
        Assert.Contains("private Subscription? _subscription4;", result, StringComparison.Ordinal);
        Assert.Contains("private static Subscription? _subscription5;", result, StringComparison.Ordinal);
        Assert.Contains("_subscription3 = store.Observe(\"b\")", result, StringComparison.Ordinal);
        Assert.Contains("_subscription4 = maybe?.SubscribeAll(", result, StringComparison.Ordinal);
        Assert.Contains("=> _subscription5 = store.Subscribe(\"c\"", result, StringComparison.Ordinal);
    }
}
