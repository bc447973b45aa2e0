using System.Text.RegularExpressions;

namespace ReactiveStore.Generators.Tests;

/// <summary>The static dependencies the generator reads from compute method bodies.</summary>
public sealed partial class DependencyInferenceTests
{
    private const string Source = """
        using System.Linq;
        using ReactiveStore;

        namespace Deps;

        [StateNode("n")]
        public partial class Node
        {
            public partial int A { get; set; }
            public partial int B { get; set; }
            [StatePath("c_seg")] public partial int C { get; set; }
            public partial Child Kid { get; }
            public partial StateMap<Child> Map { get; }

            [Derived] public partial int ThisAndParens { get; }
            private int ComputeThisAndParens() => (this.A) + ((B));

            [Derived] public partial int Shadowed { get; }
            private int ComputeShadowed() { int A = 3; return A + new[] { 1 }.Select(B => B).Sum(); }

            [Derived] public partial string Names { get; }
            private string ComputeNames() => nameof(A) + nameof(Kid.X);

            [Derived] public partial int ChildAndMap { get; }
            private int ComputeChildAndMap() => Kid.X + Map["k1"].X + Map.Get("k2").Total + Map[Key()].X;

            [Derived] public partial int RealIds { get; }
            private int ComputeRealIds() => Map["alice-smith"].X + Map.Get("_id").X;

            [Derived] public partial int Whole { get; }
            private int ComputeWhole() => Map.Count + (Kid.Snapshot() is null ? 0 : 1);

            [Derived] public partial int UsesDerived { get; }
            private int ComputeUsesDerived() => ThisAndParens + Kid.Total + C;

            private static string Key() => "dynamic";
        }

        [StateNode]
        public partial class Child
        {
            public partial int X { get; set; }
            [Derived] public partial int Total { get; }
            private int ComputeTotal() => X * 2;
        }
        """;

    [Theory]
    [InlineData("ThisAndParens", "n.a", "n.b")]
    [InlineData("Shadowed")]
    [InlineData("Names")]
    [InlineData("ChildAndMap", "n.kid.x", "n.map", "n.map.k1.x", "n.map.k2.total")]
    [InlineData("RealIds", "n.map._x_5f_id.x", "n.map._xalice_2d_smith.x")]
    [InlineData("Whole", "n.kid", "n.map")]
    [InlineData("UsesDerived", "n.c_seg", "n.kid.total", "n.thisAndParens")]
    public void Compute_bodies_yield_the_paths_they_read(string member, params string[] expected)
    {
        var (result, output) = GeneratorHarness.Run(Source);
        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));
        string node = GeneratorHarness.GeneratedSources(result).Single(static s => s.HintName == "Deps.Node.g.cs").Source;
        Match list = Regex.Match(node, "StatePath> " + member + "Dependencies = new global::ReactiveStore.StatePath\\[\\]\\s*\\{(?<body>[^}]*)\\}");
        Assert.True(list.Success, member + "Dependencies not found");
        Assert.Equal(expected, ParsedPath().Matches(list.Groups["body"].Value).Select(static m => m.Groups[1].Value));
    }

    [GeneratedRegex("Parse\\(\"([^\"]+)\"\\)")]
    private static partial Regex ParsedPath();
}
