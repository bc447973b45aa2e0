using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ReactiveStore.Analyzers;
using ReactiveStore.CodeAnalysis;
using ReactiveStore.Generators.Helpers;
using ReactiveStore.Generators.Models;

namespace ReactiveStore.Generators;

public sealed partial class StateNodeGenerator
{
    private const int MaxNestingDepth = 8;

    private static readonly SymbolDisplayFormat s_typeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    private static readonly SymbolDisplayFormat s_messageFormat = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypes,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters);

    /// <summary>Turns one <c>[StateNode]</c> class into a value-equal model (<see langword="null"/> when the generator cannot handle it) and
    /// the diagnostics the generator reports itself.</summary>
    /// <remarks>Nothing here throws for bad input: a class or member that does not fit is skipped, and an analyzer reports it — except a
    /// missing <c>partial</c> (RST0004), which the generator reports: see <see cref="FindMissingPartial"/>.</remarks>
    internal static NodeExtraction Extract(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type)
        {
            return NodeExtraction.None;
        }

        NodeModel? model = ExtractModel(context, type, cancellationToken);
        EquatableArray<DiagnosticModel> diagnostics = model is null ? FindMissingPartial(type, cancellationToken) : EquatableArray<DiagnosticModel>.Empty;
        return model is null && diagnostics.IsEmpty ? NodeExtraction.None : new NodeExtraction(model, diagnostics);
    }

    private static NodeModel? ExtractModel(GeneratorAttributeSyntaxContext context, INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        if (!StateMemberClassifier.IsSupportedNode(type, cancellationToken)
            || !StateNaming.TryGetNodePath(type, out string defaultPath))
        {
            return null;
        }

        // A partial class with several declarations is generated once, for the declaration carrying the attribute first.
        if (type.DeclaringSyntaxReferences.Length > 1 && !IsFirstAttributedDeclaration(type, context.TargetNode, cancellationToken))
        {
            return null;
        }

        var containing = new List<ContainingTypeModel>();
        for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            containing.Insert(0, new ContainingTypeModel(DeclarationKeyword(outer), Escape(outer.Name) + TypeParameterList(outer)));
        }

        List<MemberModel> members = ExtractMembers(type, cancellationToken);
        List<PlaceholderModel> placeholders = ExtractPlaceholders(type, cancellationToken);
        string ns = type.ContainingNamespace.IsGlobalNamespace ? string.Empty : type.ContainingNamespace.ToDisplayString();
        return new NodeModel(
            HintName(type),
            ns,
            containing.ToEquatableArray(),
            Escape(type.Name),
            TypeParameterList(type),
            type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            defaultPath,
            members.ToEquatableArray(),
            placeholders.ToEquatableArray());
    }

    /// <summary>
    /// RST0004, reported by the generator rather than an analyzer: a [StateNode] class whose partial members the generator cannot
    /// implement makes the compiler report declaration errors (CS0751, CS9248), and the compiler stops before it runs analyzers when
    /// there are declaration errors — so only a generator diagnostic reaches <c>dotnet build</c> beside them. One diagnostic per
    /// declaration of the class that lacks <c>partial</c>, and per declaration of a containing type that lacks it (reported for the first
    /// node nested in that type, so that a type holding several nodes is reported once).
    /// </summary>
    private static EquatableArray<DiagnosticModel> FindMissingPartial(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        if (type.TypeKind != TypeKind.Class)
        {
            return EquatableArray<DiagnosticModel>.Empty;
        }

        var found = new List<DiagnosticModel>();
        string node = type.ToDisplayString(s_messageFormat);
        foreach (TypeDeclarationSyntax declaration in DeclarationsWithoutPartial(type, cancellationToken))
        {
            found.Add(MissingPartial(declaration, "The [StateNode] class '" + node + "' must be partial: the generator adds its members"));
        }

        for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            List<TypeDeclarationSyntax> lacking = DeclarationsWithoutPartial(outer, cancellationToken);
            if (lacking.Count == 0 || !SymbolEqualityComparer.Default.Equals(FirstNestedNode(outer, 0, cancellationToken), type))
            {
                continue;
            }

            foreach (TypeDeclarationSyntax declaration in lacking)
            {
                found.Add(MissingPartial(
                    declaration,
                    "'" + outer.ToDisplayString(s_messageFormat) + "' must be partial because it contains the [StateNode] class '" + node + "'"));
            }
        }

        return found.ToEquatableArray();
    }

    private static List<TypeDeclarationSyntax> DeclarationsWithoutPartial(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var lacking = new List<TypeDeclarationSyntax>();
        foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration && !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                lacking.Add(declaration);
            }
        }

        return lacking;
    }

    /// <summary>The first [StateNode] class nested (at any depth, declaration order, depth first) in <paramref name="type"/>.</summary>
    private static INamedTypeSymbol? FirstNestedNode(INamedTypeSymbol type, int depth, CancellationToken cancellationToken)
    {
        if (depth > MaxNestingDepth)
        {
            return null;
        }

        foreach (INamedTypeSymbol nested in type.GetTypeMembers())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (nested.TypeKind == TypeKind.Class && StateMemberClassifier.HasStateNodeAttribute(nested))
            {
                return nested;
            }

            if (FirstNestedNode(nested, depth + 1, cancellationToken) is { } deeper)
            {
                return deeper;
            }
        }

        return null;
    }

    private static DiagnosticModel MissingPartial(TypeDeclarationSyntax declaration, string message) =>
        new(DiagnosticDescriptors.NodeNotPartialId, declaration.SyntaxTree, declaration.Identifier.Span, message);

    /// <summary>The <c>[Derived]</c> members without a usable compute method (RST0006): each gets a throwing implementation part.</summary>
    private static List<PlaceholderModel> ExtractPlaceholders(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var placeholders = new List<PlaceholderModel>();
        foreach (ISymbol member in type.GetMembers())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (member is not IPropertySymbol property
                || !StateMemberClassifier.IsDerivedWithoutCompute(property)
                || property.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is not PropertyDeclarationSyntax syntax)
            {
                continue;
            }

            AccessorDeclarationSyntax? getter = syntax.AccessorList?.Accessors.FirstOrDefault(static a => a.IsKind(SyntaxKind.GetAccessorDeclaration));
            AccessorDeclarationSyntax? setter = syntax.AccessorList?.Accessors.FirstOrDefault(static a => a.IsKind(SyntaxKind.SetAccessorDeclaration) || a.IsKind(SyntaxKind.InitAccessorDeclaration));
            placeholders.Add(new PlaceholderModel(
                Escape(property.Name),
                property.Type.ToDisplayString(s_typeFormat),
                string.Join(" ", syntax.Modifiers.Select(static m => m.Text)),
                getter is null ? string.Empty : string.Join(" ", getter.Modifiers.Select(static m => m.Text)),
                setter is null ? string.Empty : (setter.IsKind(SyntaxKind.InitAccessorDeclaration) ? "init" : "set"),
                setter is null ? string.Empty : string.Join(" ", setter.Modifiers.Select(static m => m.Text)),
                "Derived member '" + property.Name + "' has no usable compute method (diagnostic RST0006 says what to add), so it has no value."));
        }

        return placeholders;
    }

    private static List<MemberModel> ExtractMembers(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var candidates = new List<(IPropertySymbol Property, StateMemberKind Kind, string Segment)>();
        var segmentCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (ISymbol member in type.GetMembers())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (member is not IPropertySymbol property)
            {
                continue;
            }

            StateMemberKind kind = StateMemberClassifier.Classify(property, cancellationToken);
            if (kind is StateMemberKind.None or StateMemberKind.Unsupported || !StateNaming.TryGetSegment(property, out string segment))
            {
                continue;
            }

            candidates.Add((property, kind, segment));
            segmentCounts[segment] = segmentCounts.TryGetValue(segment, out int count) ? count + 1 : 1;
        }

        var members = new List<MemberModel>(candidates.Count);
        foreach ((IPropertySymbol property, StateMemberKind kind, string segment) in candidates)
        {
            // Two members on one segment would alias one path: skip them all (RST0005 reports it).
            if (segmentCounts[segment] > 1 || property.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is not PropertyDeclarationSyntax syntax)
            {
                continue;
            }

            members.Add(ExtractMember(type, property, kind, segment, syntax, cancellationToken));
        }

        return members;
    }

    private static MemberModel ExtractMember(
        INamedTypeSymbol type,
        IPropertySymbol property,
        StateMemberKind kind,
        string segment,
        PropertyDeclarationSyntax syntax,
        CancellationToken cancellationToken)
    {
        string typeName = property.Type.ToDisplayString(s_typeFormat);
        bool needsNullForgiving = !property.Type.IsValueType && property.Type.NullableAnnotation != NullableAnnotation.Annotated;
        AccessorDeclarationSyntax? getter = syntax.AccessorList?.Accessors.FirstOrDefault(static a => a.IsKind(SyntaxKind.GetAccessorDeclaration));
        AccessorDeclarationSyntax? setter = syntax.AccessorList?.Accessors.FirstOrDefault(static a => a.IsKind(SyntaxKind.SetAccessorDeclaration) || a.IsKind(SyntaxKind.InitAccessorDeclaration));

        string nodeType = string.Empty;
        if (kind == StateMemberKind.Child)
        {
            nodeType = typeName.TrimEnd('?');
        }
        else if (kind == StateMemberKind.Map && StateMemberClassifier.TryGetMapNodeType(property.Type, out INamedTypeSymbol? mapNode))
        {
            nodeType = mapNode!.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        }

        string computeMethod = string.Empty;
        EquatableArray<string> dependencies = EquatableArray<string>.Empty;
        EquatableArray<string> derivedAccesses = EquatableArray<string>.Empty;
        if (kind == StateMemberKind.Derived && StateMemberClassifier.FindComputeMethod(property) is { } compute)
        {
            computeMethod = Escape(compute.Name);
            var paths = new SortedSet<string>(StringComparer.Ordinal);
            var accesses = new SortedSet<string>(StringComparer.Ordinal);
            foreach (StateRead read in DerivedDependencyCollector.Collect(compute, type, cancellationToken))
            {
                paths.Add(read.Path);
                if (read.DerivedAccess is not null && read.DerivedAccess != property.Name)
                {
                    accesses.Add(read.DerivedAccess);
                }
            }

            dependencies = paths.ToEquatableArray();
            derivedAccesses = accesses.ToEquatableArray();
        }

        return new MemberModel(
            kind,
            Escape(property.Name),
            property.Name,
            segment,
            typeName,
            needsNullForgiving,
            AccessibilityText(property.DeclaredAccessibility),
            property.DeclaredAccessibility == Accessibility.Public ? "public" : "internal",
            string.Join(" ", syntax.Modifiers.Select(static m => m.Text)),
            getter is null ? string.Empty : string.Join(" ", getter.Modifiers.Select(static m => m.Text)),
            setter is null ? string.Empty : (setter.IsKind(SyntaxKind.InitAccessorDeclaration) ? "init" : "set"),
            setter is null ? string.Empty : string.Join(" ", setter.Modifiers.Select(static m => m.Text)),
            nodeType,
            computeMethod,
            dependencies,
            derivedAccesses,
            !type.MemberNames.Contains("Subscribe" + property.Name),
            !type.MemberNames.Contains(property.Name + "Changes"),
            !type.MemberNames.Contains("Watch" + property.Name + "Async"),
            kind == StateMemberKind.Stored ? ClassifyHook(type, property, cancellationToken) : HookKind.None);
    }

    /// <summary>Declare the hook unless the user wrote a member of that name; call a user method only when its signature fits.</summary>
    private static HookKind ClassifyHook(INamedTypeSymbol type, IPropertySymbol property, CancellationToken cancellationToken)
    {
        string name = "On" + property.Name + "Changed";
        if (!type.MemberNames.Contains(name))
        {
            return HookKind.DeclareAndCall;
        }

        ImmutableArray<ISymbol> existing = type.GetMembers(name);
        if (existing.Length > 1
            || existing[0] is not IMethodSymbol { ReturnsVoid: true, IsStatic: false, IsGenericMethod: false, Parameters.Length: 2 } method
            || !SymbolEqualityComparer.Default.Equals(method.Parameters[0].Type, property.Type)
            || !SymbolEqualityComparer.Default.Equals(method.Parameters[1].Type, property.Type)
            || method.Parameters[0].RefKind != RefKind.None
            || method.Parameters[1].RefKind != RefKind.None)
        {
            return HookKind.None;
        }

        // A partial implementation with no definition yet is waiting for the generator's definition.
        bool isLonePartialImplementation = !method.IsPartialDefinition
            && method.PartialDefinitionPart is null
            && method.DeclaringSyntaxReferences.Length == 1
            && method.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is MethodDeclarationSyntax declaration
            && declaration.Modifiers.Any(SyntaxKind.PartialKeyword)
            && (declaration.Body is not null || declaration.ExpressionBody is not null);
        return isLonePartialImplementation ? HookKind.DeclareAndCall : HookKind.CallOnly;
    }

    private static bool IsFirstAttributedDeclaration(INamedTypeSymbol type, SyntaxNode target, CancellationToken cancellationToken)
    {
        foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is ClassDeclarationSyntax declaration && declaration.AttributeLists.Count > 0)
            {
                return declaration == target;
            }
        }

        return true;
    }

    private static string HintName(INamedTypeSymbol type)
    {
        var parts = new List<string>();
        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            parts.Insert(0, current.MetadataName.Replace('`', '_'));
        }

        string ns = type.ContainingNamespace.IsGlobalNamespace ? string.Empty : type.ContainingNamespace.ToDisplayString() + ".";
        return ns + string.Join("+", parts) + ".g.cs";
    }

    private static string AccessibilityText(Accessibility accessibility) => accessibility switch
    {
        Accessibility.Public => "public",
        Accessibility.Internal => "internal",
        Accessibility.Protected => "protected",
        Accessibility.ProtectedOrInternal => "protected internal",
        Accessibility.ProtectedAndInternal => "private protected",
        _ => "private",
    };

    private static string DeclarationKeyword(INamedTypeSymbol type) => type switch
    {
        { IsRecord: true, TypeKind: TypeKind.Struct } => "record struct",
        { IsRecord: true } => "record",
        { TypeKind: TypeKind.Struct } => "struct",
        { TypeKind: TypeKind.Interface } => "interface",
        _ => "class",
    };

    private static string TypeParameterList(INamedTypeSymbol type) =>
        type.TypeParameters.Length == 0 ? string.Empty : "<" + string.Join(", ", type.TypeParameters.Select(static p => Escape(p.Name))) + ">";

    private static string Escape(string identifier) =>
        SyntaxFacts.GetKeywordKind(identifier) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(identifier) == SyntaxKind.FieldKeyword
            ? "@" + identifier
            : identifier;
}
