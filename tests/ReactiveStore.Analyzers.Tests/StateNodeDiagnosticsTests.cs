namespace ReactiveStore.Analyzers.Tests;

/// <summary>RST0001, RST0004, RST0005, RST0006 and RST0009: declarations of state nodes.</summary>
public sealed class StateNodeDiagnosticsTests
{
    [Fact]
    public Task RST0001_invalid_node_path_is_reported_on_the_argument() => AnalyzerHarness.VerifyAsync(
        "RST0001",
        """
        using ReactiveStore;
        [StateNode([|"shop..main"|])] public partial class Shop { public partial int X { get; set; } }
        [StateNode([|"__system"|])] public partial class Sys { public partial int X { get; set; } }
        """,
        ["Invalid path 'shop..main': segment 2 is empty (at position 5).", "reserved for the system"]);

    [Fact]
    public Task RST0001_invalid_segments_are_reported_on_the_argument_or_the_name() => AnalyzerHarness.VerifyAsync(
        "RST0001",
        """
        using ReactiveStore;
        [StateNode("mixed")]
        public partial class Mixed
        {
            [StatePath([|"not.one.segment"|])] public partial int BadSegment { get; set; }
            [StatePath([|"__reserved"|])] public partial int Reserved { get; set; }
            public partial int [|Café|] { get; set; }
        }
        """,
        [
            "Invalid path segment 'not.one.segment': character '.' at position 3 is not allowed",
            "Invalid path segment '__reserved': segments starting with '__' are reserved",
            "The segment comes from the member name 'Café'",
        ]);

    [Fact]
    public Task RST0001_default_path_from_an_invalid_class_name_is_reported_on_the_attribute() => AnalyzerHarness.VerifyAsync(
        "RST0001",
        """
        using ReactiveStore;
        [[|StateNode|]] public partial class Straße { public partial int X { get; set; } }
        """,
        ["The path comes from the class name 'Straße'"]);

    [Fact]
    public Task RST0001_is_not_reported_for_valid_paths() => AnalyzerHarness.VerifyNoneAsync(
        [
            """
            using ReactiveStore;
            [StateNode("app.settings_v2")] public partial class Settings
            {
                [StatePath("tax_rate")] public partial decimal TaxRate { get; set; }
                [StatePath("_private")] public partial int Hidden { get; set; }
                public partial int URLValue { get; set; }
                public int NotState { get; set; }
            }
            [StateNode] public partial class DefaultNamed { public partial int X { get; set; } }
            """,
        ],
        "RST0001");

    [Fact]
    public Task RST0004_non_partial_node_and_containing_types_are_reported_per_declaration() => AnalyzerHarness.VerifyAsync(
        "RST0004",
        """
        using ReactiveStore;
        namespace Demo;
        [StateNode] public class [|Flat|] { public partial int X { get; set; } }
        public static class [|Outer|]
        {
            public partial class Middle
            {
                [StateNode] public class [|Inner|] { }
                [StateNode] public partial class Second { }
            }
        }
        """,
        [
            "The [StateNode] class 'Flat' must be partial",
            "'Outer' must be partial because it contains the [StateNode] class 'Outer.Middle.Inner'",
            "The [StateNode] class 'Outer.Middle.Inner' must be partial",
        ]);

    [Fact]
    public Task RST0004_is_not_reported_for_partial_nodes_split_across_files_or_unrelated_classes() => AnalyzerHarness.VerifyNoneAsync(
        [
            """
            using ReactiveStore;
            namespace Demo;
            public static partial class Holder { [StateNode] public partial class Node { public partial int X { get; set; } } }
            public class Plain { public class Nested { } }
            """,
            """
            namespace Demo;
            public static partial class Holder { public partial class Node { public partial int Y { get; set; } } }
            """,
        ],
        "RST0004");

    [Fact]
    public Task RST0005_duplicate_segments_are_reported_on_the_later_member() => AnalyzerHarness.VerifyAsync(
        "RST0005",
        """
        using ReactiveStore;
        [StateNode("dup")]
        public partial class Dup
        {
            [StatePath("same")] public partial int First { get; set; }
            [StatePath([|"same"|])] public partial string? Second { get; set; }
            public partial int Total { get; set; }
            [StatePath([|"total"|])] public partial int Other { get; set; }
        }
        """,
        [
            "State member 'Second' maps to the path segment 'same', which 'First' already uses",
            "State member 'Other' maps to the path segment 'total', which 'Total' already uses",
        ]);

    [Fact]
    public Task RST0005_is_not_reported_for_distinct_segments_or_case_differences() => AnalyzerHarness.VerifyNoneAsync(
        [
            """
            using ReactiveStore;
            [StateNode("ok")]
            public partial class Ok
            {
                public partial int Total { get; set; }
                [StatePath("Total")] public partial int Upper { get; set; }
                public partial Child Child { get; }
                public partial StateMap<Child> Children { get; }
            }
            [StateNode] public partial class Child { public partial int Total { get; set; } }
            """,
        ],
        "RST0005");

    [Fact]
    public Task RST0006_missing_and_mismatched_compute_methods_are_reported() => AnalyzerHarness.VerifyAsync(
        "RST0006",
        """
        using ReactiveStore;
        [StateNode("cart")]
        public partial class Cart
        {
            public partial decimal Price { get; set; }
            [Derived] public partial decimal [|Total|] { get; }
            [Derived] public partial decimal Tax { get; }
            private int [|ComputeTax|]() => 1;
            [Derived(nameof(Helper))] public partial decimal Net { get; }
            private decimal [|Helper|](int x) => x;
            [Derived] public partial decimal [|Settable|] { get; set; }
            [Derived] public partial decimal Shared { get; }
            private static decimal [|ComputeShared|]() => 1;
        }
        """,
        [
            "Derived member 'Total' has no compute method: add 'private decimal ComputeTotal()' to 'Cart'",
            "'ComputeTax' does not fit derived member 'Tax': a compute method is a non-generic instance method with no parameters returning 'decimal' (it returns 'int')",
            "'Helper' does not fit derived member 'Net'",
            "Derived member 'Settable' has a setter",
            "(it is static)",
        ]);

    [Fact]
    public Task RST0006_is_not_reported_for_fitting_compute_methods() => AnalyzerHarness.VerifyNoneAsync(
        [
            """
            using ReactiveStore;
            [StateNode("cart")]
            public partial class Cart
            {
                public partial decimal Price { get; set; }
                [Derived] public partial decimal Total { get; }
                [Derived(nameof(Calculate))] public partial decimal Net { get; }
                [Derived] public partial string? Label { get; }
                private decimal ComputeTotal() => Price * 2;
                private decimal Calculate() => Total - 1;
                private string? ComputeLabel() => Price > 0 ? "paid" : null;
            }
            """,
            """
            public partial class Cart
            {
                // A compute method in another part of the class.
                internal decimal ComputeOther() => 0;
            }
            """,
        ],
        "RST0006");

    [Fact]
    public Task RST0009_unserializable_stored_types_are_reported_on_the_type() => AnalyzerHarness.VerifyAsync(
        "RST0009",
        """
        using System;
        using System.Collections.Generic;
        using ReactiveStore;
        public sealed class Sealed { private Sealed() { } public int X { get; set; } }
        [StateNode("bad")]
        public partial class Bad
        {
            public partial [|Action|] Callback { get; set; }
            public partial [|Type|] Kind { get; set; }
            public partial [|IntPtr|] Handle { get; set; }
            public partial [|List<Func<int>>|] Handlers { get; set; }
            public partial [|Sealed|] Hidden { get; set; }
            public partial [|Action[]?|] Many { get; set; }
        }
        """,
        [
            "Stored member 'Callback' has type 'Action', which System.Text.Json cannot serialize: delegates are not supported",
            "reflection types such as System.Type are not supported",
            "IntPtr and UIntPtr are not supported",
            "delegates are not supported",
            "'Sealed' has no public constructor and no [JsonConstructor]",
            "delegates are not supported",
        ]);

    [Fact]
    public Task RST0009_is_not_reported_for_serializable_types() => AnalyzerHarness.VerifyNoneAsync(
        [
            """
            using System;
            using System.Collections.Generic;
            using System.Collections.Immutable;
            using System.Text.Json.Serialization;
            using ReactiveStore;
            public record Address(string Street, int Number);
            public class Settable { public int X { get; set; } }
            public class WithJsonConstructor { [JsonConstructor] internal WithJsonConstructor(int x) { X = x; } public int X { get; } }
            public enum Color { Red, Green }
            public struct Point { public int X; public int Y; }
            public abstract class Shape { }
            [StateNode("good")]
            public partial class Good<T>
            {
                public partial Address? Home { get; set; }
                public partial Settable Data { get; set; }
                public partial WithJsonConstructor Made { get; set; }
                public partial Color Color { get; set; }
                public partial Color? MaybeColor { get; set; }
                public partial Point Where { get; set; }
                public partial List<Address> Addresses { get; set; }
                public partial Dictionary<string, int[]> Scores { get; set; }
                public partial ImmutableArray<string> Tags { get; set; }
                public partial DateTimeOffset When { get; set; }
                public partial Uri? Link { get; set; }
                public partial T Value { get; set; }
                public partial object? Anything { get; set; }
                public partial Shape? Figure { get; set; }
                public partial (int A, string B) Pair { get; set; }
            }
            """,
        ],
        "RST0009");
}
