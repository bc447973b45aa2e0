using System.Collections.Immutable;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using ReactiveStore.Analyzers;

namespace ReactiveStore.Analyzers.CodeFixes;

/// <summary>
/// RST0010: keeps a discarded subscription, either in a <c>using var</c> declaration (disposed at the end of the enclosing block)
/// or in a new field of the enclosing type (disposed by the owner). Names are made unique, also across a Fix All.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(KeepSubscriptionCodeFixProvider))]
[Shared]
public sealed class KeepSubscriptionCodeFixProvider : CodeFixProvider
{
    /// <summary>The equivalence key of the <c>using var</c> fix.</summary>
    public const string UsingEquivalenceKey = DiagnosticDescriptors.DiscardedSubscriptionId + ".UsingVariable";

    /// <summary>The equivalence key of the field fix.</summary>
    public const string FieldEquivalenceKey = DiagnosticDescriptors.DiscardedSubscriptionId + ".Field";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.DiscardedSubscriptionId);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => FixAll.Instance;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (FindTarget(root, diagnostic) is not { } target)
            {
                continue;
            }

            if (target.Statement is not null && CanDeclareUsing(target.Statement))
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Keep the subscription in a 'using' variable",
                        cancellationToken => FixAsync(context.Document, ImmutableArray.Create(diagnostic), UsingEquivalenceKey, cancellationToken),
                        UsingEquivalenceKey),
                    diagnostic);
            }

            if (target.Expression.FirstAncestorOrSelf<TypeDeclarationSyntax>() is ClassDeclarationSyntax or StructDeclarationSyntax or RecordDeclarationSyntax)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Keep the subscription in a new field",
                        cancellationToken => FixAsync(context.Document, ImmutableArray.Create(diagnostic), FieldEquivalenceKey, cancellationToken),
                        FieldEquivalenceKey),
                    diagnostic);
            }
        }
    }

    private static async Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string equivalenceKey, CancellationToken cancellationToken)
    {
        SyntaxNode? root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        SemanticModel? model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return document;
        }

        DocumentEditor editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var newFields = new Dictionary<TypeDeclarationSyntax, List<MemberDeclarationSyntax>>();
        foreach (Diagnostic diagnostic in diagnostics.OrderBy(static d => d.Location.SourceSpan.Start))
        {
            if (FindTarget(root, diagnostic) is not { } target)
            {
                continue;
            }

            if (equivalenceKey == UsingEquivalenceKey)
            {
                if (target.Statement is not null && CanDeclareUsing(target.Statement))
                {
                    string name = UniqueLocalName(model, target.Statement, BaseName(target.Expression), taken, cancellationToken);
                    editor.ReplaceNode(target.Statement, UsingDeclaration(target.Expression, name, target.Statement));
                }
            }
            else if (target.Expression.FirstAncestorOrSelf<TypeDeclarationSyntax>() is { } type && type is ClassDeclarationSyntax or StructDeclarationSyntax or RecordDeclarationSyntax)
            {
                string name = UniqueFieldName(model, type, "_" + BaseName(target.Expression), taken, cancellationToken);
                if (!newFields.TryGetValue(type, out List<MemberDeclarationSyntax>? fields))
                {
                    fields = new List<MemberDeclarationSyntax>();
                    newFields.Add(type, fields);
                }

                fields.Add(FieldDeclaration(model, diagnostic, target.Expression, name, cancellationToken));
                ExpressionSyntax assigned = SyntaxFactory.IdentifierName(name);
                if (target.Discard is { } discard)
                {
                    editor.ReplaceNode(discard.Left, assigned.WithTriviaFrom(discard.Left));
                }
                else
                {
                    editor.ReplaceNode(
                        target.Expression,
                        SyntaxFactory.AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, assigned, target.Expression.WithoutTrivia())
                            .WithTriviaFrom(target.Expression));
                }
            }
        }

        foreach (KeyValuePair<TypeDeclarationSyntax, List<MemberDeclarationSyntax>> pair in newFields)
        {
            // After the last field, or first when there is none.
            int index = 0;
            for (int i = 0; i < pair.Key.Members.Count; i++)
            {
                if (pair.Key.Members[i] is FieldDeclarationSyntax)
                {
                    index = i + 1;
                }
            }

            editor.InsertMembers(pair.Key, index, pair.Value);
        }

        return editor.GetChangedDocument();
    }

    /// <summary>The discarded expression, its statement (when it is a statement of its own) and the <c>_ = …</c> around it.</summary>
    private static Target? FindTarget(SyntaxNode root, Diagnostic diagnostic)
    {
        SyntaxNode? node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        if (node is not ExpressionSyntax expression)
        {
            return null;
        }

        // a?.B(): the whole conditional access is what is discarded.
        while (expression.Parent is ConditionalAccessExpressionSyntax access && access.WhenNotNull.Span.Contains(expression.Span))
        {
            expression = access;
        }

        AssignmentExpressionSyntax? discard = null;
        SyntaxNode? parent = expression.Parent;
        if (parent is AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: "_" } } assignment && assignment.Right == expression)
        {
            discard = assignment;
            parent = assignment.Parent;
        }

        return new Target(expression, discard, parent as ExpressionStatementSyntax);
    }

    private static bool CanDeclareUsing(ExpressionStatementSyntax statement) =>
        statement.Parent is BlockSyntax or GlobalStatementSyntax;

    private static LocalDeclarationStatementSyntax UsingDeclaration(ExpressionSyntax expression, string name, ExpressionStatementSyntax statement)
    {
        VariableDeclarationSyntax declaration = SyntaxFactory.VariableDeclaration(
            SyntaxFactory.IdentifierName("var"),
            SyntaxFactory.SingletonSeparatedList(
                SyntaxFactory.VariableDeclarator(SyntaxFactory.Identifier(name))
                    .WithInitializer(SyntaxFactory.EqualsValueClause(expression.WithoutTrivia()))));
        return SyntaxFactory.LocalDeclarationStatement(declaration)
            .WithUsingKeyword(SyntaxFactory.Token(SyntaxKind.UsingKeyword))
            .WithTriviaFrom(statement)
            .WithAdditionalAnnotations(Formatter.Annotation);
    }

    private static FieldDeclarationSyntax FieldDeclaration(SemanticModel model, Diagnostic diagnostic, ExpressionSyntax expression, string name, CancellationToken cancellationToken)
    {
        string typeName = diagnostic.Properties.TryGetValue(SubscriptionAnalyzer.ReturnTypeProperty, out string? returned) && returned is not null
            ? returned
            : "global::System.IDisposable";
        TypeSyntax type = SyntaxFactory.ParseTypeName(typeName).WithAdditionalAnnotations(Simplifier.Annotation);
        if (model.GetNullableContext(expression.SpanStart).AnnotationsEnabled())
        {
            type = SyntaxFactory.NullableType(type);
        }

        SyntaxTokenList modifiers = SyntaxFactory.TokenList(SyntaxFactory.Token(SyntaxKind.PrivateKeyword));
        if (IsStaticContext(model, expression, cancellationToken))
        {
            modifiers = modifiers.Add(SyntaxFactory.Token(SyntaxKind.StaticKeyword));
        }

        return SyntaxFactory.FieldDeclaration(
                SyntaxFactory.VariableDeclaration(type, SyntaxFactory.SingletonSeparatedList(SyntaxFactory.VariableDeclarator(name))))
            .WithModifiers(modifiers)
            .WithAdditionalAnnotations(Formatter.Annotation);
    }

    private static bool IsStaticContext(SemanticModel model, SyntaxNode node, CancellationToken cancellationToken)
    {
        for (SyntaxNode? current = node.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case AnonymousFunctionExpressionSyntax lambda when lambda.Modifiers.Any(SyntaxKind.StaticKeyword):
                case LocalFunctionStatementSyntax localFunction when localFunction.Modifiers.Any(SyntaxKind.StaticKeyword):
                    return true;
                case MemberDeclarationSyntax member when member is not TypeDeclarationSyntax:
                    return model.GetDeclaredSymbol(member, cancellationToken) is { IsStatic: true }
                        || (member is FieldDeclarationSyntax field && field.Modifiers.Any(SyntaxKind.StaticKeyword));
                case TypeDeclarationSyntax:
                    return false;
            }
        }

        return false;
    }

    /// <summary><c>SubscribePrice</c> → <c>priceSubscription</c>; anything else → <c>subscription</c>.</summary>
    private static string BaseName(ExpressionSyntax expression)
    {
        SyntaxNode invoked = expression;
        while (invoked is ConditionalAccessExpressionSyntax access)
        {
            invoked = access.WhenNotNull;
        }

        string? method = invoked is InvocationExpressionSyntax invocation
            ? invocation.Expression switch
            {
                MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
                MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
                SimpleNameSyntax name => name.Identifier.ValueText,
                _ => null,
            }
            : null;

        const string prefix = "Subscribe";
        if (method is not null && method.Length > prefix.Length && method.StartsWith(prefix, StringComparison.Ordinal) && method != "SubscribeAll"
            && char.IsUpper(method[prefix.Length]))
        {
            string member = method.Substring(prefix.Length);
            return char.ToLowerInvariant(member[0]) + member.Substring(1) + "Subscription";
        }

        return "subscription";
    }

    private static string UniqueLocalName(SemanticModel model, SyntaxNode position, string baseName, HashSet<string> taken, CancellationToken cancellationToken)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (ISymbol symbol in model.LookupSymbols(position.SpanStart))
        {
            used.Add(symbol.Name);
        }

        // Names declared anywhere in the enclosing member would clash too (CS0136), even below this statement.
        SyntaxNode scope = position.FirstAncestorOrSelf<MemberDeclarationSyntax>() ?? position.SyntaxTree.GetRoot(cancellationToken);
        foreach (SyntaxNode node in scope.DescendantNodes())
        {
            switch (node)
            {
                case VariableDeclaratorSyntax declarator:
                    used.Add(declarator.Identifier.ValueText);
                    break;
                case SingleVariableDesignationSyntax designation:
                    used.Add(designation.Identifier.ValueText);
                    break;
                case ParameterSyntax parameter:
                    used.Add(parameter.Identifier.ValueText);
                    break;
            }
        }

        return Pick(baseName, used, taken);
    }

    private static string UniqueFieldName(SemanticModel model, TypeDeclarationSyntax type, string baseName, HashSet<string> taken, CancellationToken cancellationToken)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        if (model.GetDeclaredSymbol(type, cancellationToken) is { } symbol)
        {
            foreach (string name in symbol.MemberNames)
            {
                used.Add(name);
            }
        }

        return Pick(baseName, used, taken);
    }

    private static string Pick(string baseName, HashSet<string> used, HashSet<string> taken)
    {
        string name = baseName;
        for (int i = 2; used.Contains(name) || taken.Contains(name) || SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None; i++)
        {
            name = baseName + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        taken.Add(name);
        return name;
    }

    private sealed class Target(ExpressionSyntax expression, AssignmentExpressionSyntax? discard, ExpressionStatementSyntax? statement)
    {
        public ExpressionSyntax Expression { get; } = expression;

        public AssignmentExpressionSyntax? Discard { get; } = discard;

        public ExpressionStatementSyntax? Statement { get; } = statement;
    }

    private sealed class FixAll : DocumentBasedFixAllProvider
    {
        public static readonly FixAll Instance = new();

        protected override string GetFixAllTitle(FixAllContext fixAllContext) =>
            fixAllContext.CodeActionEquivalenceKey == FieldEquivalenceKey
                ? "Keep every discarded subscription in a new field"
                : "Keep every discarded subscription in a 'using' variable";

        protected override async Task<Document?> FixAllAsync(FixAllContext fixAllContext, Document document, ImmutableArray<Diagnostic> diagnostics) =>
            await FixAsync(document, diagnostics, fixAllContext.CodeActionEquivalenceKey ?? UsingEquivalenceKey, fixAllContext.CancellationToken).ConfigureAwait(false);
    }
}
