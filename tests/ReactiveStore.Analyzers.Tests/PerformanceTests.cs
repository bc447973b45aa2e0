using System.Collections.Immutable;
using System.Diagnostics;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Diagnostics.Telemetry;
using Xunit.Abstractions;

namespace ReactiveStore.Analyzers.Tests;

/// <summary>A large model analyzes without any diagnostic or analyzer failure (always run), and the analyzers' cost on a 1,000-node
/// compilation (opt-in; docs/analyzers.md quotes the figures it prints).</summary>
public sealed class PerformanceTests(ITestOutputHelper output)
{
    /// <summary>The nodes of the timing run.</summary>
    public const int NodeCount = 1000;

    /// <summary>The nodes of the correctness check every test run makes: the same shape (a chain of children, maps, derived members
    /// across nodes), smaller, so that it costs seconds rather than a minute on two cores.</summary>
    public const int CorrectnessNodeCount = 100;

    /// <summary><paramref name="nodeCount"/> nodes (a multiple of 100) of three stored members, a child, a map and two derived members
    /// each, plus store calls.</summary>
    public static string[] LargeModel(int nodeCount = NodeCount)
    {
        var sources = new string[nodeCount / 100];
        for (int file = 0; file < sources.Length; file++)
        {
            var text = new StringBuilder("using ReactiveStore;\nnamespace Large;\n");
            for (int i = file * 100; i < (file + 1) * 100; i++)
            {
                string child = i + 1 < nodeCount ? "Node" + (i + 1) : "Leaf";
                text.Append($$"""
                    [StateNode("n{{i}}")]
                    public partial class Node{{i}}
                    {
                        public partial string? Name { get; set; }
                        public partial decimal Price { get; set; }
                        [StatePath("qty")] public partial int Quantity { get; set; }
                        public partial Leaf Leaf { get; }
                        public partial StateMap<Leaf> Leaves { get; }
                        [Derived] public partial decimal Total { get; }
                        [Derived] public partial decimal Double { get; }
                        private decimal ComputeTotal() => Price * Quantity + Leaf.Value + Leaves["a"].Value;
                        private decimal ComputeDouble() => Total * 2;
                        public void Use(StateStore store)
                        {
                            using var s = store.Subscribe("n{{i}}.*", static e => { });
                            store.Set("n{{i}}.price", 1m);
                            _ = store.Get<decimal>("n{{i}}.total");
                        }
                    }

                    """);
            }

            sources[file] = text.ToString();
        }

        return [.. sources, "using ReactiveStore;\nnamespace Large;\n[StateNode] public partial class Leaf { public partial decimal Value { get; set; } }\n"];
    }

    /// <summary>
    /// Correct code of the large model's shape gets no RST diagnostic from the generator or any analyzer, no analyzer exception and no
    /// AD0001. Runs in every test run (CI included), on <see cref="CorrectnessNodeCount"/> nodes; the timing below is opt-in.
    /// </summary>
    [Fact]
    public async Task A_large_correct_model_gets_no_diagnostic_and_no_analyzer_failure()
    {
        string[] sources = LargeModel(CorrectnessNodeCount);
        Compilation compilation = AnalyzerHarness.Compile(sources);
        Assert.Empty(AnalyzerHarness.Errors(compilation));

        // The model really is large and generated: one generated file per node and the leaf.
        Assert.Equal(CorrectnessNodeCount + 1, compilation.SyntaxTrees.Count(static t => t.FilePath.EndsWith(".g.cs", StringComparison.Ordinal)));

        // DiagnoseAsync fails on any analyzer exception or AD0001, and includes the generator's own diagnostics.
        ImmutableArray<Diagnostic> diagnostics = await AnalyzerHarness.DiagnoseAsync(compilation);
        Assert.DoesNotContain(diagnostics, static d => d.Id.StartsWith("RST", StringComparison.Ordinal) || d.Id == "AD0001");
    }

    /// <summary>Opt-in (about a minute on two cores): <c>RST_ANALYZER_TIMING=1 dotnet test tests/ReactiveStore.Analyzers.Tests --filter PerformanceTests</c>.</summary>
    [TimingFact]
    public async Task Analyzers_on_a_thousand_nodes()
    {
        Compilation compilation = AnalyzerHarness.Compile(LargeModel());
        Assert.Empty(AnalyzerHarness.Errors(compilation));

        // What the compiler does anyway before analyzers run in a build: bind everything once.
        var binding = Stopwatch.StartNew();
        compilation.GetDiagnostics();
        binding.Stop();
        output.WriteLine($"compilation binding (not analyzers) {binding.ElapsedMilliseconds} ms");

        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: null,
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: true);
        CompilationWithAnalyzers analysis = compilation.WithAnalyzers(AnalyzerHarness.AllAnalyzers, options);
        var clock = Stopwatch.StartNew();
        AnalysisResult result = await analysis.GetAnalysisResultAsync(CancellationToken.None);
        clock.Stop();

        Assert.DoesNotContain(result.GetAllDiagnostics(), static d => d.Id.StartsWith("RST", StringComparison.Ordinal) || d.Id == "AD0001");
        TimeSpan total = TimeSpan.Zero;
        foreach ((DiagnosticAnalyzer analyzer, AnalyzerTelemetryInfo info) in result.AnalyzerTelemetryInfo.OrderByDescending(static p => p.Value.ExecutionTime))
        {
            total += info.ExecutionTime;
            output.WriteLine($"{analyzer.GetType().Name,-24} {info.ExecutionTime.TotalMilliseconds,8:F0} ms");
        }

        output.WriteLine($"{"sum of analyzers",-24} {total.TotalMilliseconds,8:F0} ms (wall clock of the analysis: {clock.ElapsedMilliseconds} ms)");
        Assert.True(total < TimeSpan.FromSeconds(60), $"The analyzers took {total} on {NodeCount} nodes.");
    }
}

/// <summary>A fact that runs only when <c>RST_ANALYZER_TIMING</c> is set, to keep the default test run lean.</summary>
public sealed class TimingFactAttribute : FactAttribute
{
    public TimingFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("RST_ANALYZER_TIMING")))
        {
            Skip = "Timing run: set RST_ANALYZER_TIMING=1 to measure the analyzers on 1,000 nodes.";
        }
    }
}
