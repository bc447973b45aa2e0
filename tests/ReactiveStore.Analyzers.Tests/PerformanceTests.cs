using System.Collections.Immutable;
using System.Diagnostics;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Diagnostics.Telemetry;
using Xunit.Abstractions;

namespace ReactiveStore.Analyzers.Tests;

/// <summary>Analyzer cost on a 1,000-node compilation (docs/analyzers.md quotes the figures this prints).</summary>
public sealed class PerformanceTests(ITestOutputHelper output)
{
    public const int NodeCount = 1000;

    /// <summary>1,000 nodes of three stored members, a child, a map and two derived members each, plus store calls.</summary>
    public static string[] LargeModel()
    {
        var sources = new string[NodeCount / 100];
        for (int file = 0; file < sources.Length; file++)
        {
            var text = new StringBuilder("using ReactiveStore;\nnamespace Large;\n");
            for (int i = file * 100; i < (file + 1) * 100; i++)
            {
                string child = i + 1 < NodeCount ? "Node" + (i + 1) : "Leaf";
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
