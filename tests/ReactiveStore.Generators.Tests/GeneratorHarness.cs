using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ReactiveStore.Generators;

namespace ReactiveStore.Generators.Tests;

/// <summary>Drives the generator the way the compiler does (ENVIRONMENT.md: no Testing packages), and compiles its output.</summary>
internal static class GeneratorHarness
{
    /// <summary>C# 14 partial properties need Preview on the 4.14 parser the tests run.</summary>
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Preview);

    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(ReactiveStore.Tests.Shared.ReferenceAssemblies.Load);

    public static ImmutableArray<MetadataReference> References => s_references.Value;

    public static CSharpCompilation CreateCompilation(params string[] sources) => CreateCompilation(NullableContextOptions.Enable, sources);

    public static CSharpCompilation CreateCompilation(NullableContextOptions nullable, params string[] sources) =>
        CSharpCompilation.Create(
            "GeneratorInput",
            sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"Input{i}.cs")),
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: nullable));

    public static GeneratorDriver CreateDriver() =>
        CSharpGeneratorDriver.Create(
            [new StateNodeGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator once; returns the result and the compilation with the generated files added.</summary>
    public static (GeneratorDriverRunResult Result, Compilation Output) Run(params string[] sources) => Run(NullableContextOptions.Enable, sources);

    /// <summary>Runs the generator once on a compilation with the given nullable context; it must report no diagnostic.</summary>
    public static (GeneratorDriverRunResult Result, Compilation Output) Run(NullableContextOptions nullable, params string[] sources)
    {
        (GeneratorDriverRunResult result, Compilation output, ImmutableArray<Diagnostic> diagnostics) = RunWithDiagnostics(nullable, sources);
        Assert.Empty(diagnostics);
        return (result, output);
    }

    /// <summary>Runs the generator once; returns the result, the compilation with the generated files added and the generator's diagnostics.</summary>
    public static (GeneratorDriverRunResult Result, Compilation Output, ImmutableArray<Diagnostic> Diagnostics) RunWithDiagnostics(
        NullableContextOptions nullable,
        params string[] sources)
    {
        CSharpCompilation input = CreateCompilation(nullable, sources);
        GeneratorDriver driver = CreateDriver().RunGeneratorsAndUpdateCompilation(input, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        return (driver.GetRunResult(), output, diagnostics);
    }

    /// <summary>The generated sources by hint name, in hint-name order.</summary>
    public static IReadOnlyList<(string HintName, string Source)> GeneratedSources(GeneratorDriverRunResult result)
    {
        GeneratorRunResult run = Assert.Single(result.Results);
        Assert.Null(run.Exception);
        return run.GeneratedSources
            .OrderBy(static s => s.HintName, StringComparer.Ordinal)
            .Select(static s => (s.HintName, s.SourceText.ToString()))
            .ToList();
    }

    /// <summary>Compiler diagnostics of the output at warning level or above (generated code must have none).</summary>
    public static IReadOnlyList<Diagnostic> WarningsAndErrors(Compilation output) =>
        output.GetDiagnostics().Where(static d => d.Severity >= DiagnosticSeverity.Warning).ToList();

    /// <summary>Generates, checks the result compiles with zero warnings, and loads it into a collectible context.</summary>
    public static Assembly CompileAndLoad(params string[] sources)
    {
        (_, Compilation output) = Run(sources);
        IReadOnlyList<Diagnostic> problems = WarningsAndErrors(output);
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        using var stream = new MemoryStream();
        var emit = output.Emit(stream);
        Assert.True(emit.Success, string.Join(Environment.NewLine, emit.Diagnostics));
        stream.Position = 0;

        // The runtime assembly resolves to the one the tests already loaded, so the types are shared with the test code.
        var context = new AssemblyLoadContext("generated-" + Guid.NewGuid().ToString("N"), isCollectible: true);
        return context.LoadFromStream(stream);
    }
}
