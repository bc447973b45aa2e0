namespace ReactiveStore.Generators.Tests;

/// <summary>Inputs shared by the snapshot, compile-and-run and incrementality tests.</summary>
internal static class TestSources
{
    public const string Flat = """
        using ReactiveStore;

        namespace Demo;

        [StateNode("settings")]
        public partial class SettingsState
        {
            public partial string? Theme { get; set; }
            public partial int FontSize { get; set; }
            public partial string Language { get; set; }
            internal partial bool Beta { get; private set; }
            public string NotState { get; set; } = "";

            public void EnableBeta() => Beta = true;

            partial void OnFontSizeChanged(int oldValue, int newValue) => FontSizeHookCalls++;

            public int FontSizeHookCalls { get; private set; }
        }
        """;

    public const string Nested = """
        using ReactiveStore;

        namespace Demo.Shop;

        [StateNode("shop")]
        public partial class ShopState
        {
            public partial string? Currency { get; set; }
            public partial CartState Cart { get; }
        }

        [StateNode]
        public partial class CartState
        {
            public partial int ItemCount { get; set; }
            public partial decimal Amount { get; set; }
        }
        """;

    public const string Map = """
        using ReactiveStore;

        namespace Demo.Catalog;

        [StateNode("catalog")]
        public partial class CatalogState
        {
            public partial StateMap<ProductState> Products { get; }
        }

        [StateNode]
        public partial class ProductState
        {
            public partial string? Name { get; set; }
            public partial decimal Price { get; set; }
        }
        """;

    /// <summary>A hook that records every change, and two members written together, for the concurrency tests.</summary>
    public const string Concurrency = """
        using System.Collections.Concurrent;
        using ReactiveStore;

        namespace Demo.Concurrency;

        [StateNode("counter")]
        public partial class CounterState
        {
            public partial int Value { get; set; }
            public partial int Left { get; set; }
            public partial int Right { get; set; }
            public partial StateMap<EntryState> Entries { get; }

            public ConcurrentQueue<(int Old, int New)> Changes { get; } = new();

            partial void OnValueChanged(int oldValue, int newValue) => Changes.Enqueue((oldValue, newValue));

            // A fitting method of the user's own is called; one that does not fit means no hook.
            public int RightCalls { get; private set; }

            private void OnRightChanged(int oldValue, int newValue) => RightCalls += newValue - oldValue;

            public void OnLeftChanged(string reason) => throw new System.InvalidOperationException(reason);
        }

        [StateNode]
        public partial class EntryState
        {
            public partial int Amount { get; set; }
        }
        """;

    public const string GenericAndNested = """
        using ReactiveStore;

        namespace Demo.Generic;

        public static partial class Holder
        {
            [StateNode("box")]
            public partial class Box<T>
            {
                public partial T Value { get; set; }
                public partial string? Label { get; set; }
            }
        }
        """;

    public const string GlobalNamespace = """
        using ReactiveStore;

        [StateNode]
        public partial class Counter
        {
            public partial long Count { get; set; }
        }
        """;

    public const string StatePathOverrides = """
        using ReactiveStore;

        namespace Demo.Paths;

        [StateNode("app.user_profile")]
        public partial class ProfileState
        {
            [StatePath("display_name")] public partial string? DisplayName { get; set; }
            [StatePath("v2")] public partial int Version { get; set; }
            public partial string? URLValue { get; set; }
        }
        """;

    /// <summary>The SPEC §7 example, with a derived chain: Total reads Cart.Subtotal (derived) and TaxRate; Discounted reads Total.</summary>
    public const string Shop = """
        using ReactiveStore;

        namespace Demo.Spec;

        [StateNode("shop")]
        public partial class ShopState
        {
            public partial string? Currency { get; set; }                 // stored: shop.currency
            public partial CartState Cart { get; }                        // child node: shop.cart.*
            public partial StateMap<ProductState> Products { get; }       // keyed children: shop.products.<key>.*
            [StatePath("tax_rate")] public partial decimal TaxRate { get; set; }
            public partial decimal DiscountPercent { get; set; }

            [Derived] public partial decimal Total { get; }               // derived: shop.total
            private decimal ComputeTotal() => Cart.Subtotal * (1 + TaxRate);

            [Derived(nameof(Discount))] public partial decimal Discounted { get; }
            private decimal Discount() => DiscountPercent > 0 ? Total * (1 - DiscountPercent / 100) : Total;
        }

        [StateNode]
        public partial class CartState
        {
            public partial StateMap<CartLine> Lines { get; }
            public partial decimal Shipping { get; set; }

            [Derived] public partial decimal Subtotal { get; }
            private decimal ComputeSubtotal()
            {
                decimal sum = Shipping;
                foreach (string key in Lines.Keys)
                {
                    sum += Lines[key].Price * Lines[key].Quantity;
                }

                return sum;
            }
        }

        [StateNode]
        public partial class CartLine
        {
            public partial decimal Price { get; set; }
            public partial int Quantity { get; set; }
        }

        [StateNode]
        public partial class ProductState
        {
            public partial string? Name { get; set; }
            public partial decimal Price { get; set; }
        }
        """;

    /// <summary>A derived member whose compute method reads one input only through a helper on one branch: the static view misses it, tracking does not.</summary>
    public const string Branches = """
        using ReactiveStore;

        namespace Demo.Branches;

        [StateNode("labels")]
        public partial class LabelState
        {
            public partial bool UseCode { get; set; }
            public partial string? Code { get; set; }
            public partial string? Name { get; set; }

            [Derived] public partial string Label { get; }
            private string ComputeLabel() => UseCode ? ReadCode() : Name ?? "(none)";

            private string ReadCode() => Code ?? "(no code)";

            [Derived] public partial int LabelLength { get; }
            private int ComputeLabelLength() => Label.Length;
        }
        """;

    /// <summary>The SPEC §7 example exactly, with the smallest CartState and ProductState that make it compile.</summary>
    public const string SpecExample = """
        using ReactiveStore;

        namespace Shop;

        [StateNode("shop")]                       // path of this node when used as a root
        public partial class ShopState
        {
            public partial string? Currency { get; set; }             // stored: shop.currency
            public partial CartState Cart { get; }                    // child node: shop.cart.*
            public partial StateMap<ProductState> Products { get; }   // keyed children: shop.products.<key>.*
            [StatePath("tax_rate")] public partial decimal TaxRate { get; set; }

            [Derived] public partial decimal Total { get; }           // derived: shop.total
            private decimal ComputeTotal() => Cart.Subtotal * (1 + TaxRate);
        }

        [StateNode]
        public partial class CartState
        {
            public partial decimal Subtotal { get; set; }
        }

        [StateNode]
        public partial class ProductState
        {
            public partial decimal Price { get; set; }
        }
        """;
}
