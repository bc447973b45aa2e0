using Microsoft.CodeAnalysis;

namespace ReactiveStore.Generators.Tests;

/// <summary>Input the generator cannot handle is skipped: it never throws and never emits code that does not compile.</summary>
public sealed class BadInputTests
{
    [Theory]
    [InlineData("NotPartial", "[StateNode] public class NotPartial { public string? Name { get; set; } }")]
    [InlineData("Inner", "public class Outer { [StateNode] public partial class Inner { public partial int X { get; set; } } }")]
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
        foreach (string skipped in new[] { "BadSegment", "Reserved", "First", "Second", "NoCompute", "WithSetter", "WrongType", "Settable", "GetOnly", "Shared", "Hidden" })
        {
            Assert.DoesNotContain("partial int " + skipped + "\n", mixed, StringComparison.Ordinal);
            Assert.DoesNotContain(" " + skipped + "\n        {", mixed, StringComparison.Ordinal);
        }

        AssertGeneratedFilesHaveNoErrors(output);

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

    private static void AssertGeneratedFilesHaveNoErrors(Compilation output)
    {
        var generated = output.GetDiagnostics()
            .Where(static d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true)
            .ToList();
        Assert.True(generated.Count == 0, string.Join(Environment.NewLine, generated));
    }
}
