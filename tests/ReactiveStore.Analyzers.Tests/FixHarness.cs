using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace ReactiveStore.Analyzers.Tests;

/// <summary>Applies code fixes in an <see cref="AdhocWorkspace"/> (one fix, or Fix All in a document) and checks the result.</summary>
internal static class FixHarness
{
    /// <summary>
    /// Applies the fix with <paramref name="equivalenceKey"/> to the first <paramref name="id"/> in the first source (or Fix All in
    /// that document), then checks the fixed sources compile with the generator run, and that <paramref name="id"/> is gone.
    /// </summary>
    /// <returns>The fixed text of the first source.</returns>
    public static async Task<string> ApplyAsync(
        CodeFixProvider provider,
        string id,
        string equivalenceKey,
        bool fixAll,
        params string[] sources)
    {
        using var workspace = new AdhocWorkspace();
        Project project = workspace.AddProject(ProjectInfo.Create(
            ProjectId.CreateNewId(),
            VersionStamp.Default,
            "FixInput",
            "FixInput",
            LanguageNames.CSharp,
            compilationOptions: AnalyzerHarness.CompilationOptions,
            parseOptions: AnalyzerHarness.ParseOptions,
            metadataReferences: AnalyzerHarness.References));

        var userDocuments = new List<DocumentId>();
        for (int i = 0; i < sources.Length; i++)
        {
            Document document = project.AddDocument($"Test{i}.cs", SourceText.From(sources[i]), filePath: $"Test{i}.cs");
            userDocuments.Add(document.Id);
            project = document.Project;
        }

        // The generator's output, as the IDE would have it (".g.cs": generated code, so the analyzers skip it).
        foreach ((string hintName, string source) in AnalyzerHarness.Generate(sources))
        {
            project = project.AddDocument(hintName, SourceText.From(source), filePath: "Generated/" + hintName).Project;
        }

        Assert.True(workspace.TryApplyChanges(project.Solution));
        Document target = workspace.CurrentSolution.GetDocument(userDocuments[0])!;

        ImmutableArray<Diagnostic> before = await DiagnosticsAsync(target.Project, id);
        Diagnostic first = Assert.Single(before.Where(d => d.Location.SourceTree?.FilePath == target.FilePath).Take(1));

        CodeAction action;
        if (fixAll)
        {
            FixAllProvider fixAllProvider = provider.GetFixAllProvider()!;
            var context = new FixAllContext(
                target,
                provider,
                FixAllScope.Document,
                equivalenceKey,
                [id],
                new DiagnosticProvider(id),
                CancellationToken.None);
            action = (await fixAllProvider.GetFixAsync(context))!;
        }
        else
        {
            var actions = new List<CodeAction>();
            var context = new CodeFixContext(target, first, (a, _) => actions.Add(a), CancellationToken.None);
            await provider.RegisterCodeFixesAsync(context);
            action = Assert.Single(actions, a => a.EquivalenceKey == equivalenceKey);
        }

        ImmutableArray<CodeActionOperation> operations = await action.GetOperationsAsync(CancellationToken.None);
        ApplyChangesOperation apply = Assert.Single(operations.OfType<ApplyChangesOperation>());
        Solution fixedSolution = apply.ChangedSolution;

        string[] fixedSources = new string[sources.Length];
        for (int i = 0; i < sources.Length; i++)
        {
            fixedSources[i] = (await fixedSolution.GetDocument(userDocuments[i])!.GetTextAsync()).ToString();
        }

        // The result compiles with the generator run, and the diagnostic is gone.
        Compilation compiled = AnalyzerHarness.Compile(fixedSources);
        IReadOnlyList<Diagnostic> errors = AnalyzerHarness.Errors(compiled);
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors) + Environment.NewLine + fixedSources[0]);
        ImmutableArray<Diagnostic> after = await AnalyzerHarness.DiagnoseAsync(compiled);
        if (fixAll)
        {
            Assert.DoesNotContain(after, d => d.Id == id && d.Location.SourceTree?.FilePath == "Test0.cs");
        }
        else
        {
            Assert.Equal(before.Count(d => d.Location.SourceTree?.FilePath == target.FilePath) - 1, after.Count(d => d.Id == id && d.Location.SourceTree?.FilePath == "Test0.cs"));
        }

        return fixedSources[0];
    }

    private static async Task<ImmutableArray<Diagnostic>> DiagnosticsAsync(Project project, string id)
    {
        Compilation compilation = (await project.GetCompilationAsync())!;
        ImmutableArray<Diagnostic> diagnostics = await AnalyzerHarness.DiagnoseAsync(compilation);
        return diagnostics.Where(d => d.Id == id).OrderBy(static d => d.Location.SourceSpan.Start).ToImmutableArray();
    }

    private sealed class DiagnosticProvider(string id) : FixAllContext.DiagnosticProvider
    {
        public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken) =>
            (await DiagnosticsAsync(document.Project, id)).Where(d => d.Location.SourceTree?.FilePath == document.FilePath);

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult(Enumerable.Empty<Diagnostic>());

        public override async Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            await DiagnosticsAsync(project, id);
    }
}
