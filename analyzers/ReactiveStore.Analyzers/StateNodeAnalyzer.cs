using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using ReactiveStore.CodeAnalysis;

namespace ReactiveStore.Analyzers;

/// <summary>
/// Checks the declaration of <c>[StateNode]</c> classes: paths in attributes (RST0001), duplicate segments (RST0005), compute
/// methods of derived members (RST0006) and stored member types System.Text.Json cannot serialize (RST0009). Members are classified
/// by the generator's own (linked) code. A missing <c>partial</c> (RST0004) is reported by the generator: the compiler's own errors
/// for it (CS0751, CS9248) stop the build before analyzers run.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class StateNodeAnalyzer : DiagnosticAnalyzer
{
    private const int MaxTypeDepth = 8;

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.InvalidAttributePath,
        DiagnosticDescriptors.DuplicateSegment,
        DiagnosticDescriptors.ComputeMethod,
        DiagnosticDescriptors.NotSerializable);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(static start =>
        {
            KnownSymbols known = KnownSymbols.Create(start.Compilation);
            if (known.StateNodeAttribute is null)
            {
                return;
            }

            start.RegisterSymbolAction(symbolContext => AnalyzeType(symbolContext, known), SymbolKind.NamedType);
        });
    }

    private static void AnalyzeType(SymbolAnalysisContext context, KnownSymbols known)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (type.TypeKind != TypeKind.Class || !known.IsStateNode(type))
        {
            return;
        }

        CheckNodePath(context, type, known);
        CheckMembers(context, type, known);
    }

    // RST0001 for [StateNode("…")] or the default path made from the class name.
    private static void CheckNodePath(SymbolAnalysisContext context, INamedTypeSymbol type, KnownSymbols known)
    {
        AttributeData? attribute = KnownSymbols.Find(type, known.StateNodeAttribute);
        if (attribute?.AttributeConstructor is null)
        {
            return;
        }

        if (attribute.ConstructorArguments.Length == 1)
        {
            string? path = attribute.ConstructorArguments[0].Value as string;
            if (PathMessages.CheckPath(path, selector: false, rejectReserved: true) is { } problem)
            {
                Report(context, DiagnosticDescriptors.InvalidAttributePath, ArgumentLocation(attribute, context.CancellationToken) ?? type.Locations[0], problem);
            }

            return;
        }

        string defaultPath = StateNaming.ToCamelCase(type.Name);
        if (PathMessages.CheckPath(defaultPath, selector: false, rejectReserved: true) is { } defaultProblem)
        {
            Report(
                context,
                DiagnosticDescriptors.InvalidAttributePath,
                AttributeLocation(attribute, context.CancellationToken) ?? type.Locations[0],
                defaultProblem + " The path comes from the class name '" + type.Name + "': name a valid one with [StateNode(\"…\")].");
        }
    }

    private static void CheckMembers(SymbolAnalysisContext context, INamedTypeSymbol type, KnownSymbols known)
    {
        CancellationToken cancellationToken = context.CancellationToken;
        Dictionary<string, IPropertySymbol>? segments = null;
        foreach (ISymbol member in type.GetMembers())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (member is not IPropertySymbol { IsPartialDefinition: true } property || property.Locations.Length == 0)
            {
                continue;
            }

            StateMemberKind kind = StateMemberClassifier.Classify(property, cancellationToken);
            if (kind == StateMemberKind.None)
            {
                continue;
            }

            bool segmentValid = CheckSegment(context, property, known);
            if (segmentValid && !property.IsStatic && !property.IsIndexer)
            {
                segments ??= new Dictionary<string, IPropertySymbol>(StringComparer.Ordinal);
                string segment = StateNaming.GetSegmentText(property);
                if (segments.TryGetValue(segment, out IPropertySymbol? first))
                {
                    Report(context, DiagnosticDescriptors.DuplicateSegment, SegmentLocation(property, known, cancellationToken), property.Name, segment, first.Name);
                }
                else
                {
                    segments.Add(segment, property);
                }
            }

            AttributeData? derived = KnownSymbols.Find(property, known.DerivedAttribute);
            if (derived is not null)
            {
                CheckCompute(context, type, property);
            }
            else if (property.SetMethod is not null && (kind == StateMemberKind.Stored || property.Type.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer))
            {
                CheckSerializable(context, property, known);
            }
        }
    }

    // RST0001 for [StatePath("…")] or the default segment made from the member name; returns whether the segment is usable.
    private static bool CheckSegment(SymbolAnalysisContext context, IPropertySymbol property, KnownSymbols known)
    {
        AttributeData? attribute = KnownSymbols.Find(property, known.StatePathAttribute);
        if (attribute is not null)
        {
            if (attribute.AttributeConstructor is null || attribute.ConstructorArguments.Length != 1)
            {
                return false;
            }

            string? segment = attribute.ConstructorArguments[0].Value as string;
            if (PathMessages.CheckSegment(segment, rejectReserved: true) is { } problem)
            {
                Report(context, DiagnosticDescriptors.InvalidAttributePath, ArgumentLocation(attribute, context.CancellationToken) ?? property.Locations[0], problem);
                return false;
            }

            return true;
        }

        string defaultSegment = StateNaming.ToCamelCase(property.Name);
        if (PathMessages.CheckSegment(defaultSegment, rejectReserved: true) is { } defaultProblem)
        {
            Report(
                context,
                DiagnosticDescriptors.InvalidAttributePath,
                property.Locations[0],
                defaultProblem + " The segment comes from the member name '" + property.Name + "': name a valid one with [StatePath(\"…\")].");
            return false;
        }

        return true;
    }

    // RST0006: the [Derived] property is get-only and has exactly one fitting compute method.
    private static void CheckCompute(SymbolAnalysisContext context, INamedTypeSymbol type, IPropertySymbol property)
    {
        string methodName = StateMemberClassifier.GetComputeMethodName(property);
        if (property.SetMethod is not null)
        {
            Report(
                context,
                DiagnosticDescriptors.ComputeMethod,
                property.Locations[0],
                ImmutableDictionary<string, string?>.Empty.Add(DiagnosticDescriptors.ComputeProblemProperty, DiagnosticDescriptors.ComputePropertyShape),
                "Derived member '" + property.Name + "' has a setter: a [Derived] property is get-only, its value comes from '" + methodName + "()'");
            return;
        }

        if (StateMemberClassifier.FindComputeMethod(property) is not null)
        {
            return;
        }

        string typeName = property.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
        ImmutableArray<ISymbol> candidates = type.GetMembers(methodName);
        if (candidates.IsEmpty)
        {
            Report(
                context,
                DiagnosticDescriptors.ComputeMethod,
                property.Locations[0],
                ImmutableDictionary<string, string?>.Empty
                    .Add(DiagnosticDescriptors.ComputeProblemProperty, DiagnosticDescriptors.ComputeMissing)
                    .Add(DiagnosticDescriptors.ComputeMethodNameProperty, methodName),
                "Derived member '" + property.Name + "' has no compute method: add 'private " + typeName + " " + methodName + "()' to '" + type.Name + "'");
            return;
        }

        Location location = property.Locations[0];
        foreach (ISymbol candidate in candidates)
        {
            if (candidate.Locations.Length > 0 && candidate.Locations[0].IsInSource)
            {
                location = candidate.Locations[0];
                break;
            }
        }

        Report(
            context,
            DiagnosticDescriptors.ComputeMethod,
            location,
            ImmutableDictionary<string, string?>.Empty.Add(DiagnosticDescriptors.ComputeProblemProperty, DiagnosticDescriptors.ComputeMismatch),
            "'" + methodName + "' does not fit derived member '" + property.Name + "': a compute method is a non-generic instance method with no parameters returning '"
                + typeName + "'" + DescribeMismatch(candidates, property));
    }

    private static string DescribeMismatch(ImmutableArray<ISymbol> candidates, IPropertySymbol property)
    {
        if (candidates.Length > 1)
        {
            return string.Empty;
        }

        if (candidates[0] is not IMethodSymbol method || method.MethodKind != MethodKind.Ordinary)
        {
            return " (it is not a method)";
        }

        if (method.IsStatic)
        {
            return " (it is static)";
        }

        if (method.Parameters.Length > 0)
        {
            return " (it has parameters)";
        }

        if (method.IsGenericMethod)
        {
            return " (it is generic)";
        }

        if (method.ReturnsByRef || method.ReturnsByRefReadonly)
        {
            return " (it returns by reference)";
        }

        return method.ReturnsVoid
            ? " (it returns void)"
            : " (it returns '" + method.ReturnType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) + "')";
    }

    // RST0009: conservative; only types System.Text.Json is known to reject.
    private static void CheckSerializable(SymbolAnalysisContext context, IPropertySymbol property, KnownSymbols known)
    {
        string? reason = UnserializableReason(property.Type, known, 0);
        if (reason is null)
        {
            return;
        }

        Location location = property.Locations[0];
        if (property.DeclaringSyntaxReferences.Length > 0
            && property.DeclaringSyntaxReferences[0].GetSyntax(context.CancellationToken) is PropertyDeclarationSyntax declaration)
        {
            location = declaration.Type.GetLocation();
        }

        Report(context, DiagnosticDescriptors.NotSerializable, location, property.Name, property.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat), reason);
    }

    internal static string? UnserializableReason(ITypeSymbol type, KnownSymbols known, int depth)
    {
        if (depth > MaxTypeDepth)
        {
            return null;
        }

        switch (type.TypeKind)
        {
            case TypeKind.Pointer:
            case TypeKind.FunctionPointer:
                return "pointers are not supported";
            case TypeKind.Delegate:
                return "delegates are not supported";
            case TypeKind.Array:
                return UnserializableReason(((IArrayTypeSymbol)type).ElementType, known, depth + 1);
            case TypeKind.TypeParameter:
            case TypeKind.Error:
            case TypeKind.Dynamic:
                return null;
        }

        if (type.SpecialType is SpecialType.System_IntPtr or SpecialType.System_UIntPtr)
        {
            return "IntPtr and UIntPtr are not supported";
        }

        if (type.SpecialType is SpecialType.System_Delegate or SpecialType.System_MulticastDelegate)
        {
            return "delegates are not supported";
        }

        if (KnownSymbols.DerivesFrom(type, known.MemberInfo))
        {
            return "reflection types such as System.Type are not supported";
        }

        if (KnownSymbols.DerivesFrom(type, known.SerializationInfo))
        {
            return "SerializationInfo is not supported";
        }

        if (type is not INamedTypeSymbol named)
        {
            return null;
        }

        if (named.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T
            || (named.IsGenericType && IsEnumerable(named)))
        {
            foreach (ITypeSymbol argument in named.TypeArguments)
            {
                if (UnserializableReason(argument, known, depth + 1) is { } inner)
                {
                    return inner;
                }
            }

            return null;
        }

        // Only classes declared in this compilation: framework types have built-in converters or public constructors.
        if (named.TypeKind != TypeKind.Class || named.IsAbstract || named.IsStatic || named.SpecialType != SpecialType.None
            || !IsInSource(named) || IsEnumerable(named))
        {
            return null;
        }

        foreach (IMethodSymbol constructor in named.InstanceConstructors)
        {
            if (constructor.DeclaredAccessibility == Accessibility.Public || KnownSymbols.Find(constructor, known.JsonConstructorAttribute) is not null)
            {
                return null;
            }
        }

        return "'" + named.Name + "' has no public constructor and no [JsonConstructor], so it cannot be read back";
    }

    private static bool IsEnumerable(INamedTypeSymbol type)
    {
        foreach (INamedTypeSymbol candidate in type.AllInterfaces)
        {
            if (candidate.SpecialType == SpecialType.System_Collections_IEnumerable)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsInSource(INamedTypeSymbol type)
    {
        foreach (Location location in type.Locations)
        {
            if (location.IsInSource)
            {
                return true;
            }
        }

        return false;
    }

    private static Location SegmentLocation(IPropertySymbol property, KnownSymbols known, CancellationToken cancellationToken) =>
        KnownSymbols.Find(property, known.StatePathAttribute) is { } attribute && ArgumentLocation(attribute, cancellationToken) is { } location
            ? location
            : property.Locations[0];

    private static Location? ArgumentLocation(AttributeData attribute, CancellationToken cancellationToken) =>
        attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is AttributeSyntax { ArgumentList.Arguments: { Count: > 0 } arguments }
            ? arguments[0].Expression.GetLocation()
            : null;

    private static Location? AttributeLocation(AttributeData attribute, CancellationToken cancellationToken) =>
        attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation();

    private static void Report(SymbolAnalysisContext context, DiagnosticDescriptor descriptor, Location location, params object?[] arguments) =>
        context.ReportDiagnostic(Diagnostic.Create(descriptor, location, arguments));

    private static void Report(SymbolAnalysisContext context, DiagnosticDescriptor descriptor, Location location, ImmutableDictionary<string, string?> properties, params object?[] arguments) =>
        context.ReportDiagnostic(Diagnostic.Create(descriptor, location, properties, arguments));
}
