using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ReactiveStore.Generators;

namespace ReactiveStore.Benchmarks.Generator;

/// <summary>
/// <c>generator-quick [nodes]</c>: runs the [StateNode] generator over a synthetic project of N nodes (default 1,000) the way the
/// compiler does, and reports the first run, warm full runs, an unrelated edit (which must re-emit nothing) and an edit to one
/// compute method (which must re-emit one file). <c>--compile</c> also compiles the generated project and counts diagnostics.
/// </summary>
internal static class GeneratorQuick
{
    private const int NodesPerFile = 10;

    private static readonly CSharpParseOptions s_parseOptions = new(LanguageVersion.Preview);

    public static int Run(string[] args)
    {
        int nodes = args.Length > 0 && !args[0].StartsWith('-') ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
        ImmutableArray<MetadataReference> references = LoadReferences();
        List<SyntaxTree> trees = BuildSources(nodes);
        var compilation = CSharpCompilation.Create(
            "GeneratorBenchmark",
            trees,
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        Console.WriteLine($"generator-quick: {nodes:N0} [StateNode] classes in {trees.Count - 1} files (+1 unrelated file), 2 cores shared");

        var stopwatch = Stopwatch.StartNew();
        GeneratorDriver driver = CreateDriver().RunGenerators(compilation);
        double first = stopwatch.Elapsed.TotalMilliseconds;
        GeneratorRunResult firstRun = driver.GetRunResult().Results[0];
        Console.WriteLine($"  first run (cold, includes JIT):        {first,8:F1} ms, {firstRun.GeneratedSources.Length:N0} files, exception: {firstRun.Exception?.Message ?? "none"}");

        var warm = new List<double>();
        for (int i = 0; i < 5; i++)
        {
            stopwatch.Restart();
            _ = CreateDriver().RunGenerators(compilation);
            warm.Add(stopwatch.Elapsed.TotalMilliseconds);
        }

        warm.Sort();
        Console.WriteLine($"  full run (fresh driver, warm, median):  {warm[warm.Count / 2],8:F1} ms");

        // An unrelated edit: the helper file changes, no [StateNode] class does. Five edits in a row, median reported.
        SyntaxTree unrelated = trees[^1];
        CSharpCompilation edited = compilation;
        GeneratorDriver afterUnrelated = driver;
        var unrelatedTimes = new List<double>();
        for (int i = 0; i < 5; i++)
        {
            CSharpCompilation next = edited.ReplaceSyntaxTree(
                edited.SyntaxTrees.First(t => t.FilePath == unrelated.FilePath),
                CSharpSyntaxTree.ParseText(UnrelatedSource(10 + i), s_parseOptions, path: unrelated.FilePath));
            stopwatch.Restart();
            afterUnrelated = afterUnrelated.RunGenerators(next);
            unrelatedTimes.Add(stopwatch.Elapsed.TotalMilliseconds);
            edited = next;
            Report("unrelated edit " + (i + 1).ToString(CultureInfo.InvariantCulture), afterUnrelated.GetRunResult().Results[0], unrelatedTimes[^1], quiet: i < 4);
        }

        unrelatedTimes.Sort();
        Console.WriteLine($"  {"unrelated edit (median of 5):",-40}{unrelatedTimes[2],8:F1} ms");

        // The floor: a generator that only finds the same attribute (its transform returns the class name) on the same edit.
        // And a generator that also builds each class's member symbols and reads their types and attributes: the semantic
        // work any symbol-based transform pays on a new compilation.
        foreach ((string label, IIncrementalGenerator floor) in new (string, IIncrementalGenerator)[]
        {
            ("unrelated edit, attribute-only floor:", new AttributeOnlyGenerator(readMembers: false)),
            ("unrelated edit, members-read floor:", new AttributeOnlyGenerator(readMembers: true)),
        })
        {
            GeneratorDriver baseline = CSharpGeneratorDriver.Create([floor.AsSourceGenerator()], parseOptions: s_parseOptions).RunGenerators(compilation);
            var floorTimes = new List<double>();
            for (int i = 0; i < 5; i++)
            {
                CSharpCompilation editedAgain = compilation.ReplaceSyntaxTree(unrelated, CSharpSyntaxTree.ParseText(UnrelatedSource(100 + i), s_parseOptions, path: unrelated.FilePath));
                stopwatch.Restart();
                baseline = baseline.RunGenerators(editedAgain);
                floorTimes.Add(stopwatch.Elapsed.TotalMilliseconds);
            }

            floorTimes.Sort();
            Console.WriteLine($"  {label,-40}{floorTimes[2],8:F1} ms (median of 5)");
        }

        // A dependency edit: one compute method reads one more member.
        SyntaxTree firstFile = trees[0];
        string text = firstFile.ToString();
        const string Compute = "=> Amount * 2 + Child.Total;";
        int at = text.IndexOf(Compute, StringComparison.Ordinal);
        string changed = string.Concat(text.AsSpan(0, at), "=> Amount * 2 + Child.Total + Count;", text.AsSpan(at + Compute.Length));
        CSharpCompilation dependencyEdit = edited.ReplaceSyntaxTree(edited.SyntaxTrees.First(t => t.FilePath == firstFile.FilePath), CSharpSyntaxTree.ParseText(changed, s_parseOptions, path: firstFile.FilePath));
        stopwatch.Restart();
        GeneratorDriver afterDependency = afterUnrelated.RunGenerators(dependencyEdit);
        Report("dependency edit in one node", afterDependency.GetRunResult().Results[0], stopwatch.Elapsed.TotalMilliseconds);

        if (!args.Contains("--compile"))
        {
            return 0;
        }

        // The generated code compiles (slow: it compiles the whole synthetic project).
        stopwatch.Restart();
        CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);
        int errors = output.GetDiagnostics().Count(static d => d.Severity == DiagnosticSeverity.Error);
        int warnings = output.GetDiagnostics().Count(static d => d.Severity == DiagnosticSeverity.Warning);
        Console.WriteLine($"  compile check of the output:            {stopwatch.Elapsed.TotalMilliseconds,8:F1} ms, {errors} errors, {warnings} warnings");
        return errors == 0 && warnings == 0 ? 0 : 1;
    }

    private static void Report(string label, GeneratorRunResult run, double milliseconds, bool quiet = false)
    {
        var extract = Reasons(run, "Extract");
        var nodes = Reasons(run, "Nodes");
        var outputs = run.TrackedOutputSteps.SelectMany(static s => s.Value).SelectMany(static r => r.Outputs).Select(static o => o.Reason).ToList();
        if (quiet && outputs.All(static r => r == IncrementalStepRunReason.Cached))
        {
            return;
        }

        Console.WriteLine(
            $"  {label + ":",-40}{milliseconds,8:F1} ms; extract {Describe(extract)}; nodes {Describe(nodes)}; "
            + $"files re-emitted: {outputs.Count(static r => r is IncrementalStepRunReason.New or IncrementalStepRunReason.Modified)}");
    }

    private static List<IncrementalStepRunReason> Reasons(GeneratorRunResult run, string step) =>
        run.TrackedSteps.TryGetValue(step, out var runs) ? runs.SelectMany(static r => r.Outputs).Select(static o => o.Reason).ToList() : [];

    private static string Describe(List<IncrementalStepRunReason> reasons) =>
        string.Join(" ", reasons.GroupBy(static r => r).OrderBy(static g => g.Key).Select(static g => $"{g.Key}={g.Count()}"));

    private static CSharpGeneratorDriver CreateDriver() =>
        CSharpGeneratorDriver.Create(
            [new StateNodeGenerator().AsSourceGenerator()],
            parseOptions: s_parseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Node i has three stored members, a map of leaves, a child (node i+1, or a leaf) and two derived members, one reading the child's.</summary>
    private static List<SyntaxTree> BuildSources(int nodes)
    {
        var trees = new List<SyntaxTree>();
        for (int file = 0; file * NodesPerFile < nodes; file++)
        {
            var text = new StringBuilder("using ReactiveStore;\n\nnamespace Bench;\n\n");
            for (int i = file * NodesPerFile; i < Math.Min(nodes, (file + 1) * NodesPerFile); i++)
            {
                string child = i + 1 < nodes ? "Node" + (i + 1).ToString(CultureInfo.InvariantCulture) : "Leaf";
                text.Append(CultureInfo.InvariantCulture, $$"""
                    [StateNode("n{{i}}")]
                    public partial class Node{{i}}
                    {
                        public partial string? Name { get; set; }
                        public partial int Count { get; set; }
                        public partial decimal Amount { get; set; }
                        public partial {{child}} Child { get; }
                        public partial StateMap<Leaf> Items { get; }
                        [Derived] public partial decimal Total { get; }
                        private decimal ComputeTotal() => Amount * 2 + Child.Total;
                        [Derived] public partial string Label { get; }
                        private string ComputeLabel() => Count > 0 ? Name ?? "" : "empty";
                    }


                    """);
            }

            trees.Add(CSharpSyntaxTree.ParseText(text.ToString(), s_parseOptions, path: $"Nodes{file}.cs"));
        }

        trees.Add(CSharpSyntaxTree.ParseText(
            """
            using ReactiveStore;

            namespace Bench;

            [StateNode]
            public partial class Leaf
            {
                public partial decimal Value { get; set; }
                [Derived] public partial decimal Total { get; }
                private decimal ComputeTotal() => Value;
            }
            """,
            s_parseOptions,
            path: "Leaf.cs"));
        trees.Add(CSharpSyntaxTree.ParseText(UnrelatedSource(1), s_parseOptions, path: "Unrelated.cs"));
        return trees;
    }

    private static string UnrelatedSource(int value) => $$"""
        namespace Bench.Other;

        public static class Helper
        {
            public static int Value() => {{value}};
        }
        """;

    /// <summary>Finds [StateNode] classes and returns their name (optionally after reading every member's type and attributes):
    /// what any attribute-driven generator pays on an edit.</summary>
    private sealed class AttributeOnlyGenerator(bool readMembers) : IIncrementalGenerator
    {
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            IncrementalValuesProvider<string> names = readMembers
                ? context.SyntaxProvider.ForAttributeWithMetadataName(
                    "ReactiveStore.StateNodeAttribute",
                    static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax,
                    static (attributeContext, _) => ReadMembers((INamedTypeSymbol)attributeContext.TargetSymbol))
                : context.SyntaxProvider.ForAttributeWithMetadataName(
                    "ReactiveStore.StateNodeAttribute",
                    static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax,
                    static (attributeContext, _) => attributeContext.TargetSymbol.Name);
            context.RegisterSourceOutput(names, static (_, _) => { });
        }

        private static string ReadMembers(INamedTypeSymbol type)
        {
            int count = 0;
            foreach (ISymbol member in type.GetMembers())
            {
                if (member is IPropertySymbol property)
                {
                    count += property.Type.Name.Length + property.GetAttributes().Length;
                }
            }

            return type.Name + count.ToString(CultureInfo.InvariantCulture);
        }
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var references = ImmutableArray.CreateBuilder<MetadataReference>();
        foreach (string path in ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator))
        {
            string name = Path.GetFileNameWithoutExtension(path);
            if (name.StartsWith("System.", StringComparison.Ordinal) || name is "System" or "mscorlib" or "netstandard"
                || name.StartsWith("Microsoft.Extensions.Logging", StringComparison.Ordinal))
            {
                references.Add(MetadataReference.CreateFromFile(path));
            }
        }

        references.Add(MetadataReference.CreateFromFile(typeof(StateStore).Assembly.Location));
        return references.ToImmutable();
    }
}
