using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using ReactiveStore.Generators;

namespace ReactiveStore.Analyzers.Tests;

/// <summary>Compiles test input (with the generator run, as in a real build) and runs the analyzers over it (ENVIRONMENT.md: no Testing packages).
/// The verifications see the generator's diagnostics too, so that a diagnostic reported twice (by both) fails them.</summary>
internal static class AnalyzerHarness
{
    /// <summary>C# 14 partial properties need Preview on the 4.14 parser the tests run.</summary>
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Preview);

    public static readonly ImmutableArray<DiagnosticAnalyzer> AllAnalyzers = ImmutableArray.Create<DiagnosticAnalyzer>(
        new StateNodeAnalyzer(),
        new PathLiteralAnalyzer(),
        new DerivedCycleAnalyzer(),
        new ComputeMethodAnalyzer(),
        new SubscriptionAnalyzer());

    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(ReactiveStore.Tests.Shared.ReferenceAssemblies.Load);

    public static ImmutableArray<MetadataReference> References => s_references.Value;

    public static CSharpCompilationOptions CompilationOptions { get; } =
        new(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable);

    /// <summary>The user's sources compiled, then the generator's output added, as the compiler does it.</summary>
    public static Compilation Compile(IEnumerable<string> sources, bool runGenerator = true)
    {
        CSharpCompilation input = CSharpCompilation.Create(
            "AnalyzerInput",
            sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"Test{i}.cs")),
            References,
            CompilationOptions);
        if (!runGenerator)
        {
            return input;
        }

        CSharpGeneratorDriver.Create([new StateNodeGenerator().AsSourceGenerator()], parseOptions: ParseOptions)
            .RunGeneratorsAndUpdateCompilation(input, out Compilation output, out _);
        return output;
    }

    /// <summary>The generated sources for <paramref name="sources"/>, by hint name.</summary>
    public static IReadOnlyList<(string HintName, string Source)> Generate(IEnumerable<string> sources)
    {
        Compilation input = Compile(sources, runGenerator: false);
        GeneratorDriver driver = CSharpGeneratorDriver.Create([new StateNodeGenerator().AsSourceGenerator()], parseOptions: ParseOptions)
            .RunGenerators(input);
        return driver.GetRunResult().Results.SelectMany(static r => r.GeneratedSources)
            .Select(static s => (s.HintName, s.SourceText.ToString()))
            .ToList();
    }

    /// <summary>Runs the analyzers; fails on any analyzer exception (AD0001).</summary>
    public static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Compilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers)
    {
        var exceptions = new ConcurrentBag<string>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            (exception, analyzer, diagnostic) => exceptions.Add(analyzer.GetType().Name + ": " + exception),
            concurrentAnalysis: true,
            logAnalyzerExecutionTime: false);
        ImmutableArray<Diagnostic> diagnostics = await compilation.WithAnalyzers(analyzers, options).GetAnalyzerDiagnosticsAsync();
        Assert.True(exceptions.IsEmpty, string.Join(Environment.NewLine, exceptions));
        Assert.DoesNotContain(diagnostics, static d => d.Id == "AD0001");
        return diagnostics;
    }

    /// <summary>What a user sees for <paramref name="sources"/>: the generator's own diagnostics (RST0004) and every analyzer's.</summary>
    public static Task<ImmutableArray<Diagnostic>> AnalyzeAsync(params string[] sources) => DiagnoseAsync(Compile(sources));

    /// <summary>The generator's diagnostics for <paramref name="compilation"/> and the analyzers' diagnostics, together.</summary>
    public static async Task<ImmutableArray<Diagnostic>> DiagnoseAsync(Compilation compilation) =>
        GeneratorDiagnostics(compilation).AddRange(await AnalyzeAsync(compilation, AllAnalyzers));

    /// <summary>The diagnostics the generator reports for <paramref name="compilation"/> (its sources are dropped: the compilation
    /// may already hold them).</summary>
    public static ImmutableArray<Diagnostic> GeneratorDiagnostics(Compilation compilation)
    {
        GeneratorDriverRunResult run = CSharpGeneratorDriver.Create([new StateNodeGenerator().AsSourceGenerator()], parseOptions: ParseOptions)
            .RunGenerators(compilation)
            .GetRunResult();
        Assert.All(run.Results, static result => Assert.Null(result.Exception));
        return run.Diagnostics;
    }

    /// <summary>
    /// Checks that exactly the spans marked <c>[|…|]</c> in <paramref name="markedSource"/> (and any further plain sources) report
    /// <paramref name="id"/>, each with a message containing the matching entry of <paramref name="messages"/>.
    /// </summary>
    public static async Task VerifyAsync(string id, string markedSource, string[] messages, params string[] otherSources)
    {
        (string source, List<TextSpan> spans) = ParseMarkup(markedSource);
        ImmutableArray<Diagnostic> all = await AnalyzeAsync([source, .. otherSources]);
        var reported = all.Where(d => d.Id == id && d.Location.SourceTree?.FilePath == "Test0.cs")
            .OrderBy(static d => d.Location.SourceSpan.Start)
            .ToList();
        Assert.True(
            reported.Count == spans.Count,
            $"Expected {spans.Count} {id}, got {reported.Count}:{Environment.NewLine}{string.Join(Environment.NewLine, all)}");
        for (int i = 0; i < spans.Count; i++)
        {
            Assert.Equal(spans[i], reported[i].Location.SourceSpan);
            string message = reported[i].GetMessage(System.Globalization.CultureInfo.InvariantCulture);
            if (i < messages.Length)
            {
                Assert.Contains(messages[i], message, StringComparison.Ordinal);
            }
        }

        // Nothing reported in the other files either, unless they are part of the test.
        Assert.DoesNotContain(all, d => d.Id == id && d.Location.SourceTree?.FilePath != "Test0.cs" && otherSources.Length == 0);
    }

    /// <summary>Checks that none of <paramref name="ids"/> (all IDs when empty) is reported for correct code.</summary>
    public static async Task VerifyNoneAsync(string[] sources, params string[] ids)
    {
        ImmutableArray<Diagnostic> all = await AnalyzeAsync(sources);
        var unexpected = all.Where(d => d.Id.StartsWith("RST", StringComparison.Ordinal) && (ids.Length == 0 || ids.Contains(d.Id))).ToList();
        Assert.True(unexpected.Count == 0, string.Join(Environment.NewLine, unexpected));
    }

    /// <summary>Removes <c>[|</c> and <c>|]</c> markers and returns the spans they enclosed.</summary>
    public static (string Source, List<TextSpan> Spans) ParseMarkup(string marked)
    {
        var spans = new List<TextSpan>();
        var text = new System.Text.StringBuilder(marked.Length);
        var starts = new Stack<int>();
        for (int i = 0; i < marked.Length; i++)
        {
            if (i + 1 < marked.Length && marked[i] == '[' && marked[i + 1] == '|')
            {
                starts.Push(text.Length);
                i++;
            }
            else if (i + 1 < marked.Length && marked[i] == '|' && marked[i + 1] == ']')
            {
                int start = starts.Pop();
                spans.Add(TextSpan.FromBounds(start, text.Length));
                i++;
            }
            else
            {
                text.Append(marked[i]);
            }
        }

        spans.Sort(static (a, b) => a.Start.CompareTo(b.Start));
        return (text.ToString(), spans);
    }

    /// <summary>Compiler errors of a compilation (generated files included).</summary>
    public static IReadOnlyList<Diagnostic> Errors(Compilation compilation) =>
        compilation.GetDiagnostics().Where(static d => d.Severity == DiagnosticSeverity.Error).ToList();
}
