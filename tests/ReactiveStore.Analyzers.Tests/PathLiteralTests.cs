namespace ReactiveStore.Analyzers.Tests;

/// <summary>RST0002: constant paths and selectors passed to the store API.</summary>
public sealed class PathLiteralTests
{
    [Fact]
    public Task Invalid_paths_and_selectors_are_reported_on_the_argument() => AnalyzerHarness.VerifyAsync(
        "RST0002",
        """
        using System.Collections.Generic;
        using ReactiveStore;
        public static class Use
        {
            private const string Bad = "users..alice";

            public static void Run(StateStore store)
            {
                store.Set([|"users.alice score"|], 1);
                store.Get<int>([|Bad|]);
                using var s = store.Subscribe([|"users.*x"|], static e => { });
                store.Watch([|"a.b."|]);
                StatePath.Parse([|"a.*"|]);
                PathSelector.Parse([|""|]);
                var key = new StateKey<int>([|"a-b"|]);
                store.Delete([|"__schema.x"|]);
                store.DeriveMany("d", new[] { "ok", [|"no way"|] }, static data => 1);
                store.Batch(w => w.Set([|"x..y"|], 1));
                StatePath.Root.Append([|"a.b"|]);
            }
        }
        """,
        [
            "Invalid path 'users.alice score': segment 2 'alice score' has character U+0020 at position 11; a segment uses only A-Z, a-z, 0-9 and '_'; 'StateStore.Set' throws InvalidPathException for it",
            "Invalid path 'users..alice': segment 2 is empty (at position 6); 'StateStore.Get' throws",
            "Invalid selector 'users.*x': segment 2 '*x' has '*' at position 6; a wildcard '*' must be a whole segment",
            "segment 3 is empty",
            "(a wildcard '*' is only valid in a selector); 'StatePath.Parse' throws",
            "Invalid selector '': a selector is empty; 'PathSelector.Parse' throws",
            "'new StateKey' throws",
            "reserved for the system",
            "Invalid path 'no way'",
            "'IStateWriter.Set' throws",
            "Invalid path segment 'a.b'",
        ]);

    [Fact]
    public Task Invalid_map_keys_are_reported() => AnalyzerHarness.VerifyAsync(
        "RST0002",
        """
        using ReactiveStore;
        [StateNode("catalog")] public partial class Catalog { public partial StateMap<Product> Products { get; } }
        [StateNode] public partial class Product { public partial decimal Price { get; set; } }
        public static class Use
        {
            public static decimal Run(Catalog catalog) => catalog.Products[[|""|]].Price + catalog.Products.Get([|""|]).Price
                + catalog.Products["a.b"].Price + catalog.Products.Get("__x").Price + catalog.Products["bob@example.com"].Price;
        }
        """,
        ["Invalid map key '': a map key cannot be empty", "'StateMap.Get' throws"]);

    [Fact]
    public Task Valid_paths_selectors_and_non_constant_arguments_are_not_reported() => AnalyzerHarness.VerifyNoneAsync(
        [
            """
            using ReactiveStore;
            [StateNode("catalog")] public partial class Catalog { public partial StateMap<Product> Products { get; } }
            [StateNode] public partial class Product { public partial decimal Price { get; set; } }
            public static class Use
            {
                public static void Run(StateStore store, string dynamicPath, Catalog catalog)
                {
                    store.Set("users.alice.score", 1);
                    store.Get<int>(dynamicPath);
                    store.Get("config.language", "en");
                    using var a = store.Subscribe("users.*.score", static e => { });
                    using var b = store.Subscribe("*", static e => { });
                    using var c = store.Subscribe("a.b.*", static e => { });
                    store.Watch("config.*");
                    store.Observe("users");
                    store.List("");
                    store.GetNode("");
                    store.Get<int>("__schema.version");
                    StatePath.TryParse("not a path", out _);
                    PathSelector.Parse("a.*.c");
                    var key = new StateKey<int>("a.b");
                    store.Get(key);
                    store.Set(key, 1);
                    _ = catalog.Products["p1"].Price;
                    store.Set("a." + dynamicPath, 2);
                    store.Set($"users.{dynamicPath}", 3);
                    throw new InvalidPathException("message", "bad path!", 3);
                }
            }
            """,
        ],
        "RST0002");
}
