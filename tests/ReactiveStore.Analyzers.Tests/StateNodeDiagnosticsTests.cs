using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;

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

    // Issue 9 item 28. The compiler stops before running analyzers when a compilation has declaration errors, and partial
    // properties in a class that is not partial are such errors (CS0751, CS9248): only the generator's RST0004 reaches the build.
    [Fact]
    public async Task RST0004_comes_from_the_generator_so_the_build_shows_it_beside_the_compilers_declaration_errors()
    {
        (string source, List<Microsoft.CodeAnalysis.Text.TextSpan> spans) = AnalyzerHarness.ParseMarkup("""
            using ReactiveStore;
            namespace Demo;
            [StateNode("shop")] public class [|Shop|] { public partial string? Currency { get; set; } }
            public class [|Outer|] { [StateNode] public partial class Inner { public partial int X { get; set; } } }
            """);
        Compilation compilation = AnalyzerHarness.Compile([source]);
        var compilerErrors = AnalyzerHarness.Errors(compilation).Select(static d => d.Id).ToHashSet();
        Assert.Contains("CS0751", compilerErrors);
        Assert.Contains("CS9248", compilerErrors);

        var fromGenerator = AnalyzerHarness.GeneratorDiagnostics(compilation).Where(static d => d.Id == "RST0004").OrderBy(static d => d.Location.SourceSpan.Start).ToList();
        Assert.Equal(spans, fromGenerator.Select(static d => d.Location.SourceSpan));
        Assert.All(fromGenerator, static d => Assert.Equal(DiagnosticSeverity.Error, d.Severity));
        SyntaxTree user = compilation.SyntaxTrees.Single(static t => t.FilePath == "Test0.cs");
        Assert.All(fromGenerator, d => Assert.Same(user, d.Location.SourceTree)); // in the user's tree, where the IDE offers the fix
        Assert.Contains("The [StateNode] class 'Shop' must be partial", fromGenerator[0].GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Contains("'Outer' must be partial because it contains the [StateNode] class 'Outer.Inner'", fromGenerator[1].GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);

        // The analyzers never report it as well: one diagnostic per declaration in the IDE, where both run.
        ImmutableArray<Diagnostic> fromAnalyzers = await AnalyzerHarness.AnalyzeAsync(compilation, AnalyzerHarness.AllAnalyzers);
        Assert.DoesNotContain(fromAnalyzers, static d => d.Id == "RST0004");
    }

    // Issue 9 item 28: a [Derived] property without a usable compute method used to get no implementation part, so CS9248 (a
    // declaration error) stopped the build before the analyzer could report RST0006. The generator now gives it a throwing one.
    [Fact]
    public async Task RST0006_reaches_the_build_because_the_generator_leaves_no_partial_property_without_an_implementation()
    {
        Compilation compilation = AnalyzerHarness.Compile(["""
            using ReactiveStore;
            namespace Demo;
            [StateNode("cart")]
            public partial class Cart
            {
                public partial decimal Price { get; set; }
                [Derived] public partial decimal Total { get; }
                [Derived] public partial decimal Settable { get; set; }
                [Derived] public partial decimal Tax { get; }
                private int ComputeTax() => 1;
            }
            """]);
        Assert.Empty(AnalyzerHarness.Errors(compilation));

        ImmutableArray<Diagnostic> diagnostics = await AnalyzerHarness.DiagnoseAsync(compilation);
        var computeProblems = diagnostics.Where(static d => d.Id == "RST0006").Select(static d => d.GetMessage(CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(3, computeProblems.Count);
        Assert.Contains(computeProblems, static m => m.Contains("Derived member 'Total' has no compute method", StringComparison.Ordinal));
        Assert.Contains(computeProblems, static m => m.Contains("Derived member 'Settable' has a setter", StringComparison.Ordinal));
        Assert.Contains(computeProblems, static m => m.Contains("'ComputeTax' does not fit derived member 'Tax'", StringComparison.Ordinal));
    }

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
