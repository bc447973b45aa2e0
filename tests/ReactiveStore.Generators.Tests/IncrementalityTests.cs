using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ReactiveStore.Generators.Tests;

/// <summary>Tracked pipeline steps across edits: what re-runs, and that no step holds compiler objects.</summary>
public sealed class IncrementalityTests
{
    private const string Unrelated = """
        namespace Demo.Other;

        public class Helper
        {
            public int Value => 1;
        }
        """;

    [Fact]
    public void An_unrelated_edit_leaves_every_step_after_extraction_cached()
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = RunOnce(TestSources.Shop, Unrelated);
        CSharpCompilation edited = Replace(compilation, 1, Unrelated.Replace("=> 1", "=> 2", StringComparison.Ordinal));

        GeneratorRunResult run = Rerun(driver, edited);

        AssertNothingAfterExtractRan(run);
    }

    [Fact]
    public void Adding_an_unrelated_file_leaves_every_step_after_extraction_cached()
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = RunOnce(TestSources.Shop);
        CSharpCompilation edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(Unrelated, GeneratorHarness.ParseOptions, path: "Added.cs"));

        GeneratorRunResult run = Rerun(driver, edited);

        AssertNothingAfterExtractRan(run);
    }

    [Fact]
    public void A_comment_edit_inside_a_node_is_unchanged_and_regenerates_nothing()
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = RunOnce(TestSources.Shop);
        string commented = TestSources.Shop.Replace("// stored: shop.currency", "// stored: shop.currency (the ISO code)", StringComparison.Ordinal);
        Assert.NotEqual(TestSources.Shop, commented);

        GeneratorRunResult run = Rerun(driver, Replace(compilation, 0, commented));

        Assert.Contains(IncrementalStepRunReason.Unchanged, Outputs(run, TrackingNames.Extract));
        AssertEach(Outputs(run, TrackingNames.Extract), IncrementalStepRunReason.Unchanged, IncrementalStepRunReason.Cached);
        AssertEach(Outputs(run, TrackingNames.Nodes), IncrementalStepRunReason.Cached);
        AssertEach(SourceOutputs(run), IncrementalStepRunReason.Cached);
    }

    [Fact]
    public void A_changed_dependency_is_modified_and_regenerates_only_its_node()
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = RunOnce(TestSources.Shop);
        string edited = TestSources.Shop.Replace("Cart.Subtotal * (1 + TaxRate)", "Cart.Subtotal * (1 + TaxRate) + Cart.Shipping", StringComparison.Ordinal);
        Assert.NotEqual(TestSources.Shop, edited);

        GeneratorRunResult run = Rerun(driver, Replace(compilation, 0, edited));

        Assert.Equal(1, Outputs(run, TrackingNames.Nodes).Count(static r => r == IncrementalStepRunReason.Modified));
        Assert.Equal(1, SourceOutputs(run).Count(static r => r == IncrementalStepRunReason.Modified));
        string shop = run.GeneratedSources.Single(static s => s.HintName == "Demo.Spec.ShopState.g.cs").SourceText.ToString();
        Assert.Contains("path.Append(global::ReactiveStore.StatePath.Parse(\"cart.shipping\")),", shop, StringComparison.Ordinal);
    }

    [Fact]
    public void A_change_in_a_child_node_reaches_the_parent_that_reads_it()
    {
        // ShopState.ComputeTotal reads Cart.Subtotal: renaming the segment of Subtotal changes ShopState's dependencies too.
        (GeneratorDriver driver, CSharpCompilation compilation) = RunOnce(TestSources.Shop);
        string edited = TestSources.Shop.Replace("[Derived] public partial decimal Subtotal", "[Derived, StatePath(\"sub_total\")] public partial decimal Subtotal", StringComparison.Ordinal);

        GeneratorRunResult run = Rerun(driver, Replace(compilation, 0, edited));

        string shop = run.GeneratedSources.Single(static s => s.HintName == "Demo.Spec.ShopState.g.cs").SourceText.ToString();
        Assert.Contains("\"cart.sub_total\"", shop, StringComparison.Ordinal);
        Assert.Equal(2, SourceOutputs(run).Count(static r => r == IncrementalStepRunReason.Modified));
    }

    [Fact]
    public void A_reported_problem_is_cached_across_unrelated_edits_and_reported_again_after_an_edit_of_its_file()
    {
        const string broken = """
            using ReactiveStore;
            namespace Demo.Broken;
            [StateNode] public class Loose { public partial int X { get; set; } }
            """;
        (GeneratorDriver driver, CSharpCompilation compilation) = RunOnce(TestSources.Shop, broken, Unrelated);
        GeneratorDriver first = driver;

        GeneratorDriver afterUnrelated = first.RunGenerators(Replace(compilation, 2, Unrelated.Replace("=> 1", "=> 2", StringComparison.Ordinal)));
        GeneratorRunResult unrelated = Assert.Single(afterUnrelated.GetRunResult().Results);
        AssertEach(Outputs(unrelated, TrackingNames.Problems), IncrementalStepRunReason.Cached);
        Assert.Equal("RST0004", Assert.Single(unrelated.Diagnostics).Id);

        GeneratorRunResult edited = Rerun(driver, Replace(compilation, 1, broken.Replace("int X", "long X", StringComparison.Ordinal)));
        AssertEach(Outputs(edited, TrackingNames.Problems), IncrementalStepRunReason.Modified);
        Diagnostic again = Assert.Single(edited.Diagnostics);
        Assert.Equal("RST0004", again.Id);
        Assert.Equal("Input1.cs", again.Location.SourceTree?.FilePath);
    }

    [Fact]
    public void No_step_output_holds_a_symbol_syntax_node_or_compilation()
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = RunOnce(TestSources.Shop, TestSources.Flat);
        GeneratorRunResult run = Rerun(driver, Replace(compilation, 1, TestSources.Flat + "\n// edited\n"));

        // The generator's own steps (Roslyn's internal attribute-finding steps hold syntax by design).
        string[] own = [TrackingNames.Extract, TrackingNames.Nodes];
        foreach (var steps in new[] { run.TrackedSteps.Where(s => own.Contains(s.Key)), run.TrackedOutputSteps })
        {
            Assert.NotEmpty(steps);
            foreach (var (name, runs) in steps)
            {
                foreach (IncrementalGeneratorRunStep step in runs)
                {
                    foreach (var (value, _) in step.Outputs)
                    {
                        AssertNoCompilerObjects(value, name, new HashSet<object>(ReferenceEqualityComparer.Instance));
                    }
                }
            }
        }
    }

    /// <summary>
    /// The extraction is the transform of <c>ForAttributeWithMetadataName</c>, which Roslyn re-runs whenever the compilation
    /// changes (it needs the semantic model); it then finds an equal model (<c>Unchanged</c>) and every later step and every
    /// source output is <c>Cached</c>: nothing is re-emitted.
    /// </summary>
    private static void AssertNothingAfterExtractRan(GeneratorRunResult run)
    {
        AssertEach(Outputs(run, TrackingNames.Extract), IncrementalStepRunReason.Unchanged, IncrementalStepRunReason.Cached);
        AssertEach(Outputs(run, TrackingNames.Nodes), IncrementalStepRunReason.Cached);
        AssertEach(SourceOutputs(run), IncrementalStepRunReason.Cached);
    }

    /// <summary>Every reason is one of <paramref name="allowed"/>, and there is at least one (an empty list would pass any check).</summary>
    private static void AssertEach(List<IncrementalStepRunReason> reasons, params IncrementalStepRunReason[] allowed)
    {
        Assert.NotEmpty(reasons);
        Assert.All(reasons, reason => Assert.True(allowed.Contains(reason), reason.ToString()));
    }

    private static (GeneratorDriver Driver, CSharpCompilation Compilation) RunOnce(params string[] sources)
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(sources);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        return (driver, compilation);
    }

    private static GeneratorRunResult Rerun(GeneratorDriver driver, CSharpCompilation compilation) =>
        Assert.Single(driver.RunGenerators(compilation).GetRunResult().Results);

    private static CSharpCompilation Replace(CSharpCompilation compilation, int index, string source)
    {
        SyntaxTree old = compilation.SyntaxTrees.ElementAt(index);
        return compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions, path: old.FilePath));
    }

    private static List<IncrementalStepRunReason> Outputs(GeneratorRunResult run, string step)
    {
        Assert.True(run.TrackedSteps.TryGetValue(step, out var runs), "Step " + step + " was not tracked.");
        return runs.SelectMany(static r => r.Outputs).Select(static o => o.Reason).ToList();
    }

    private static List<IncrementalStepRunReason> SourceOutputs(GeneratorRunResult run) =>
        run.TrackedOutputSteps.SelectMany(static s => s.Value).SelectMany(static r => r.Outputs).Select(static o => o.Reason).ToList();

    private static void AssertNoCompilerObjects(object? value, string step, HashSet<object> seen)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !seen.Add(value))
        {
            return;
        }

        Assert.False(value is ISymbol or SyntaxNode or Compilation or SemanticModel or Location or SyntaxTree,
            $"Step '{step}' holds a {value.GetType().Name}.");
        if (value is IEnumerable items)
        {
            foreach (object? item in items)
            {
                AssertNoCompilerObjects(item, step, seen);
            }
        }

        foreach (FieldInfo field in value.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            AssertNoCompilerObjects(field.GetValue(value), step, seen);
        }
    }
}
