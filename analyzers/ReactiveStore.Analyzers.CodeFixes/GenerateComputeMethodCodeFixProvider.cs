using System.Collections.Immutable;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using ReactiveStore.Analyzers;

namespace ReactiveStore.Analyzers.CodeFixes;

/// <summary>
/// RST0006 (missing compute method only): adds <c>private T Compute&lt;Name&gt;()</c> right after the <c>[Derived]</c> property.
/// The stub compiles and returns <c>default</c> under a <c>// TODO</c> comment, rather than throwing: a derived value is computed
/// as soon as anything reads or observes it, and a stub that throws would break every reader of the node until it is written.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(GenerateComputeMethodCodeFixProvider))]
[Shared]
public sealed class GenerateComputeMethodCodeFixProvider : CodeFixProvider
{
    /// <summary>The equivalence key of the fix (stable: Fix All groups by it).</summary>
    public const string EquivalenceKey = DiagnosticDescriptors.ComputeMethodId + ".GenerateMethod";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.ComputeMethodId);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => FixAll.Instance;

    /// <inheritdoc/>
    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (!IsFixable(diagnostic, out string? methodName))
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    "Generate '" + methodName + "()'",
                    cancellationToken => FixAsync(context.Document, ImmutableArray.Create(diagnostic), cancellationToken),
                    EquivalenceKey),
                diagnostic);
        }

        return Task.CompletedTask;
    }

    private static bool IsFixable(Diagnostic diagnostic, out string? methodName)
    {
        methodName = null;
        return diagnostic.Properties.TryGetValue(DiagnosticDescriptors.ComputeProblemProperty, out string? problem)
            && problem == DiagnosticDescriptors.ComputeMissing
            && diagnostic.Properties.TryGetValue(DiagnosticDescriptors.ComputeMethodNameProperty, out methodName)
            && SyntaxFacts.IsValidIdentifier(methodName);
    }

    private static async Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        SyntaxNode? root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        SemanticModel? model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return document;
        }

        DocumentEditor editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        string newLine = root.DescendantTrivia().FirstOrDefault(static t => t.IsKind(SyntaxKind.EndOfLineTrivia)).ToString() is { Length: > 0 } eol ? eol : "\n";
        var done = new HashSet<PropertyDeclarationSyntax>();
        foreach (Diagnostic diagnostic in diagnostics.OrderBy(static d => d.Location.SourceSpan.Start))
        {
            if (!IsFixable(diagnostic, out string? methodName)
                || root.FindToken(diagnostic.Location.SourceSpan.Start).Parent is not PropertyDeclarationSyntax property
                || !done.Add(property)
                || model.GetDeclaredSymbol(property, cancellationToken) is not IPropertySymbol symbol)
            {
                continue;
            }

            string defaultValue = symbol.Type.IsValueType || symbol.Type.NullableAnnotation == NullableAnnotation.Annotated ? "default" : "default!";
            string text =
                "private " + property.Type.WithoutTrivia().ToString() + " " + methodName + "()" + newLine
                + "{" + newLine
                + "    // TODO: compute " + symbol.Name + " from this node's state members; they are tracked as its dependencies." + newLine
                + "    return " + defaultValue + ";" + newLine
                + "}" + newLine;
            MemberDeclarationSyntax? method = SyntaxFactory.ParseMemberDeclaration(text);
            if (method is null)
            {
                continue;
            }

            editor.InsertAfter(property, method.WithLeadingTrivia(SyntaxFactory.EndOfLine(newLine)).WithAdditionalAnnotations(Formatter.Annotation));
        }

        return editor.GetChangedDocument();
    }

    private sealed class FixAll : DocumentBasedFixAllProvider
    {
        public static readonly FixAll Instance = new();

        protected override string GetFixAllTitle(FixAllContext fixAllContext) => "Generate every missing compute method";

        protected override async Task<Document?> FixAllAsync(FixAllContext fixAllContext, Document document, ImmutableArray<Diagnostic> diagnostics) =>
            await FixAsync(document, diagnostics, fixAllContext.CancellationToken).ConfigureAwait(false);
    }
}
