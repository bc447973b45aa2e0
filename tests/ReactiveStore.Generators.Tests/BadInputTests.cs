using Microsoft.CodeAnalysis;

namespace ReactiveStore.Generators.Tests;

/// <summary>Input the generator cannot handle is skipped: it never throws and never emits code that does not compile.</summary>
public sealed class BadInputTests
{
    [Theory]
    [InlineData("BadPath", "[StateNode(\"bad path!\")] public partial class BadPath { public partial int X { get; set; } }")]
    [InlineData("ReservedPath", "[StateNode(\"__system\")] public partial class ReservedPath { public partial int X { get; set; } }")]
    [InlineData("EmptyPath", "[StateNode(\"\")] public partial class EmptyPath { public partial int X { get; set; } }")]
    [InlineData("AbstractNode", "[StateNode] public abstract partial class AbstractNode { public partial int X { get; set; } }")]
    [InlineData("RecordNode", "[StateNode] public partial record RecordNode { public partial int X { get; set; } }")]
    [InlineData("StaticNode", "[StateNode] public static partial class StaticNode { }")]
    [InlineData("DerivedBase", "public class Base { } [StateNode] public partial class DerivedBase : Base { public partial int X { get; set; } }")]
    [InlineData("OwnPath", "[StateNode] public partial class OwnPath { public string Path => \"mine\"; public partial int X { get; set; } }")]
    [InlineData("OwnConstructor", "[StateNode] public partial class OwnConstructor { public OwnConstructor(StateStore store) { } public partial int X { get; set; } }")]
    public void A_class_the_generator_cannot_handle_generates_nothing(string name, string declaration)
    {
        var (result, output) = GeneratorHarness.Run("using ReactiveStore;\nnamespace Bad;\n" + declaration);
        Assert.DoesNotContain(GeneratorHarness.GeneratedSources(result), s => s.HintName.Contains(name, StringComparison.Ordinal));
        AssertGeneratedFilesHaveNoErrors(output);
    }

    // The one diagnostic the generator reports itself (the compiler's CS0751/CS9248 would hide an analyzer's): RST0004.
    [Theory]
    [InlineData("NotPartial", "[StateNode] public class [|NotPartial|] { public string? Name { get; set; } }", "The [StateNode] class 'NotPartial' must be partial")]
    [InlineData("WithPartialMembers", "[StateNode] public class [|WithPartialMembers|] { public partial int X { get; set; } }", "The [StateNode] class 'WithPartialMembers' must be partial")]
    [InlineData("Inner", "public class [|Outer|] { [StateNode] public partial class Inner { public partial int X { get; set; } } }", "'Outer' must be partial because it contains the [StateNode] class 'Outer.Inner'")]
    public void A_class_that_is_not_partial_generates_nothing_and_the_generator_reports_RST0004(string name, string declaration, string message)
    {
        (string source, int start, int end) = Mark("using ReactiveStore;\nnamespace Bad;\n" + declaration);
        var (result, output, diagnostics) = GeneratorHarness.RunWithDiagnostics(NullableContextOptions.Enable, source);
        Assert.DoesNotContain(GeneratorHarness.GeneratedSources(result), s => s.HintName.Contains(name, StringComparison.Ordinal));
        AssertGeneratedFilesHaveNoErrors(output);

        Diagnostic reported = Assert.Single(diagnostics);
        Assert.Equal("RST0004", reported.Id);
        Assert.Equal(DiagnosticSeverity.Error, reported.Severity);
        Assert.Equal(start, reported.Location.SourceSpan.Start);
        Assert.Equal(end, reported.Location.SourceSpan.End);
        Assert.Equal("Input0.cs", reported.Location.SourceTree?.FilePath);
        Assert.StartsWith(message, reported.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void Members_the_generator_cannot_handle_are_skipped_and_the_rest_compiles()
    {
        const string source = """
            using ReactiveStore;
            namespace Bad;

            [StateNode]
            public partial class Mixed
            {
                public partial int Good { get; set; }
                [StatePath("not.one.segment")] public partial int BadSegment { get; set; }
                [StatePath("__reserved")] public partial int Reserved { get; set; }
                [StatePath("same")] public partial int First { get; set; }
                [StatePath("same")] public partial int Second { get; set; }
                [Derived] public partial int NoCompute { get; }
                [Derived] public partial int WithSetter { get; set; }
                private int ComputeWithSetter() => 1;
                [Derived] public partial string WrongType { get; }
                private int ComputeWrongType() => 1;
                public partial Child Settable { get; set; }
                public partial int GetOnly { get; }
                public static partial int Shared { get; set; }
                private partial Secret Hidden { get; set; }
                private enum Secret { A }
            }

            [StateNode]
            public partial class Child
            {
                public partial int X { get; set; }
            }
            """;

        var (result, output) = GeneratorHarness.Run(source);
        string mixed = GeneratorHarness.GeneratedSources(result).Single(static s => s.HintName == "Bad.Mixed.g.cs").Source;
        Assert.Contains("public partial int Good", mixed, StringComparison.Ordinal);
        foreach (string skipped in new[] { "BadSegment", "Reserved", "First", "Second", "Settable", "GetOnly", "Shared", "Hidden" })
        {
            Assert.DoesNotContain("partial int " + skipped + "\n", mixed, StringComparison.Ordinal);
            Assert.DoesNotContain(" " + skipped + "\n        {", mixed, StringComparison.Ordinal);
        }

        // [Derived] members without a usable compute method get an implementation that throws, so that the compiler does not stop
        // at CS9248 before the analyzers run (RST0006 then fails the build and says what to add); nothing else is generated for them.
        foreach (string placeholder in new[] { "NoCompute", "WithSetter", "WrongType" })
        {
            Assert.Contains(" " + placeholder + "\n        {\n            get => throw new global::System.InvalidOperationException(\"Derived member '" + placeholder + "' has no usable compute method", mixed, StringComparison.Ordinal);
            Assert.DoesNotContain("Subscribe" + placeholder, mixed, StringComparison.Ordinal);
            Assert.DoesNotContain(placeholder + " = ", mixed, StringComparison.Ordinal);
        }

        Assert.Contains("set => throw new global::System.InvalidOperationException(\"Derived member 'WithSetter'", mixed, StringComparison.Ordinal);
        AssertGeneratedFilesHaveNoErrors(output);
        Assert.DoesNotContain(output.GetDiagnostics(), static d => d.Id == "CS9248" && d.GetMessage().Contains("NoCompute", StringComparison.Ordinal));

        // The user's code still fails to compile (the skipped partial properties have no implementation): the analyzers say why.
        Assert.Contains(output.GetDiagnostics(), static d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree?.FilePath == "Input0.cs");
    }

    [Fact]
    public void Syntax_errors_inside_a_node_do_not_make_the_generator_throw()
    {
        const string source = """
            using ReactiveStore;
            namespace Bad;

            [StateNode]
            public partial class Broken
            {
                public partial int X { get; set; }
                [Derived] public partial int Y { get; }
                private int ComputeY() => X +;
                public partial Missing Z { get; set; }
            """;

        var (result, output) = GeneratorHarness.Run(source);
        Assert.Null(Assert.Single(result.Results).Exception);
        AssertGeneratedFilesHaveNoErrors(output);
    }

    /// <summary>Removes the <c>[|…|]</c> markers and returns the span they enclosed.</summary>
    private static (string Source, int Start, int End) Mark(string marked)
    {
        int start = marked.IndexOf("[|", StringComparison.Ordinal);
        int end = marked.IndexOf("|]", StringComparison.Ordinal) - 2;
        return (marked.Replace("[|", string.Empty, StringComparison.Ordinal).Replace("|]", string.Empty, StringComparison.Ordinal), start, end);
    }

    private static void AssertGeneratedFilesHaveNoErrors(Compilation output)
    {
        var generated = output.GetDiagnostics()
            .Where(static d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true)
            .ToList();
        Assert.True(generated.Count == 0, string.Join(Environment.NewLine, generated));
    }
}
